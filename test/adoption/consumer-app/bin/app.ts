/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed in the scratch app */
// @ts-nocheck -- scripts/pack-roundtrip.sh drops this line: the file is type-checked in the scratch app, where cdk-ml-reference is installed
import { App } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Nag } from 'cdk-ml-reference';
import { MlStack } from '../lib/ml-stack';

const app = new App();
const stack = new MlStack(app, 'MlStack');
// The round trip proves the packs run in the installed copy: with BROKEN=1 a plain topic (no SSL-only policy, no key) must fail synth.
if (process.env.BROKEN === '1') new sns.Topic(stack, 'PlainTopic');
Nag.enable(app);
app.synth();
