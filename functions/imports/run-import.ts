import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClient } from '../aws-clients.ts';

/** The kinds of bulk job, each run by its own state machine (lib/imports.ts). */
export type JobKind = 'import' | 'export';

/** A job's run, started in-process (on one machine, where there is no state machine): lib/local registers how. */
type LocalRun = (kind: JobKind, tenantId: string, id: string) => void;
let localRun: LocalRun | undefined;

/** The local runtime and the tests drive jobs in-process (functions/imports/drive-import.ts, drive-export.ts). */
export const useLocalJobRuns = (run: LocalRun | undefined): void => {
  localRun = run;
};

let sfn: SFNClient | undefined;

/** The state machine of a kind of job, as the stack tells the API's functions. */
const stateMachineOf = (kind: JobKind): string | undefined => (kind === 'import' ? process.env.IMPORT_STATE_MACHINE_ARN : process.env.EXPORT_STATE_MACHINE_ARN);

/**
 * Starts a queued job: in AWS an execution of its kind's state machine, named by the job so a
 * second start of it is refused by Step Functions; on one machine the same steps in this process.
 */
export const startJobRun = async (kind: JobKind, tenantId: string, id: string): Promise<void> => {
  const stateMachineArn = stateMachineOf(kind);
  if (stateMachineArn) {
    sfn ??= awsClient(new SFNClient({}));
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: id, input: JSON.stringify({ tenantId, [`${kind}Id`]: id }) }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
    return;
  }
  if (!localRun) throw new Error(`${kind}s: no state machine (${kind.toUpperCase()}_STATE_MACHINE_ARN) and no local run registered`);
  localRun(kind, tenantId, id);
};
