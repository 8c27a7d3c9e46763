import { describeExampleGates } from '../support/gates';

describeExampleGates('lab');
