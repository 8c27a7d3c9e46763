// The baseline of `npm run bench`: an app with one (almost) empty stack, same CLI, same flags.
// CloudFormation rejects a template without resources, so it holds one that costs nothing.
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';

const app = new App();
new CfnWaitConditionHandle(new Stack(app, 'Empty'), 'Nothing');
app.synth();
