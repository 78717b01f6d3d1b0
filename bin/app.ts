/** The CDK app: `npx cdk synth` (offline, no credentials, no Docker) and `npx cdk deploy` (context keys: see README). */
import { App } from 'aws-cdk-lib';
import { addRapport } from '../lib/rapport-app.ts';

const app = new App();
addRapport(app);
