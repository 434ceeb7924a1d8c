import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
import type { HolidayTable } from '../../functions/core/calendar/business-time.ts';
import type { PlaybookFunctionEnvironment } from '../../functions/runtime/environment.ts';
import type { FunctionEntry, FunctionId } from '../catalog.ts';
import { BundledFunction } from './bundled-function.ts';

export interface PlaybookLambdaProps {
  readonly functionId: FunctionId;
  readonly entry: FunctionEntry;
  readonly table: ITable;
  /** Typed from the handler's zod contract, which validates the same variables at cold start. */
  readonly environment: z.input<typeof PlaybookFunctionEnvironment>;
  readonly holidayTable: HolidayTable;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** A catalog function (FUNCTIONS entry) as a Lambda: its table access is exactly the catalog's `tableAccess`, nothing else. */
export class PlaybookLambda extends Construct {
  readonly bundled: BundledFunction;

  constructor(scope: Construct, id: string, props: PlaybookLambdaProps) {
    super(scope, id);
    this.bundled = new BundledFunction(this, 'Lambda', {
      entry: props.entry.entry,
      description: `${props.functionId}: ${props.entry.description}`,
      environment: props.environment,
      // Single-item DynamoDB calls: memory buys a faster cold start, not throughput.
      memorySize: 256,
      // Well under the Task states' retry budget; a DynamoDB call taking seconds is an outage.
      timeout: Duration.seconds(10),
      holidayTable: props.holidayTable,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const access = props.entry.tableAccess;
    if (access === 'read') props.table.grantReadData(this.bundled.function);
    else if (access === 'readWrite') props.table.grantReadWriteData(this.bundled.function);
    else throw new Error(`${props.functionId}: unknown tableAccess ${String(access satisfies never)}`);
  }

  get function() {
    return this.bundled.function;
  }
}
