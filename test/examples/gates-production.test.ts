import { describeExampleGates } from '../support/gates';

describeExampleGates('production');
