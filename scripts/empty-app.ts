// The baseline of `npm run bench`: an app with one empty stack, same CLI, same flags.
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
new Stack(app, 'Empty');
app.synth();
