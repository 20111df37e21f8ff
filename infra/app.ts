/** The CDK app (cdk.json runs it with tsx): `npx cdk synth`, `npx cdk deploy -c key=value …`. */
import { App } from "aws-cdk-lib";
import { addChromoseg } from "./chromoseg-app.js";

const app = new App();
addChromoseg(app);
app.synth();
