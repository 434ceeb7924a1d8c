import { lambdaHandler } from '../runtime/lambda.ts';
import { suppressNpsSurveys } from './suppress-nps-surveys.ts';

export const handler = lambdaHandler(suppressNpsSurveys);
