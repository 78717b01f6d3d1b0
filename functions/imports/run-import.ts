import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClient } from '../aws-clients.ts';

/** A job's run, started in-process (on one machine, where there is no state machine): lib/local registers how. */
type LocalRun = (tenantId: string, importId: string) => void;
let localRun: LocalRun | undefined;

/** The local runtime and the tests drive jobs in-process (functions/imports/drive-import.ts). */
export const useLocalImportRuns = (run: LocalRun | undefined): void => {
  localRun = run;
};

let sfn: SFNClient | undefined;

/**
 * Starts a queued job: in AWS an execution of the import state machine (split, then the chunks in a
 * Distributed Map, then the finish), named by the job so a second start of it is refused by Step
 * Functions; on one machine the same steps in this process.
 */
export const startImportRun = async (tenantId: string, importId: string): Promise<void> => {
  const stateMachineArn = process.env.IMPORT_STATE_MACHINE_ARN;
  if (stateMachineArn) {
    sfn ??= awsClient(new SFNClient({}));
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: importId, input: JSON.stringify({ tenantId, importId }) }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
    return;
  }
  if (!localRun) throw new Error('imports: no state machine (IMPORT_STATE_MACHINE_ARN) and no local run registered');
  localRun(tenantId, importId);
};
