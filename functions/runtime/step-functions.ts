import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsCallbacks } from '../adapters/step-functions/sfn-task-callbacks.ts';
import { tracer } from './tracer.ts';

/**
 * The task callbacks of a function that resumes parked executions, on its role's Step Functions client
 * (traced). Imported by those functions' handlers only: no other bundle carries the client, and no
 * other role may `states:SendTaskSuccess`.
 */
export const stepFunctionsCallbacks = new StepFunctionsCallbacks(tracer.captureAWSv3Client(new SFNClient({})));
