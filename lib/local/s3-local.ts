/**
 * S3 on one machine: s3rver (npm), an S3-compatible server the AWS SDK and presigned URLs talk to,
 * serving the files bucket (imports' uploads, chunks and results; exports' parts) from a directory:
 * `.rapport/s3` for `npm start`, a temporary one (removed on stop) in memory. It accepts the local
 * credentials; it does not check SigV4 signatures (s3rver leaves them unimplemented), so a presigned
 * URL's expiry and scope are S3's to enforce in AWS, not here.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS } from './dynamodb-local.ts';

export const FILES_BUCKET = 'rapport-files';

export interface LocalS3 {
  endpoint: string;
  /** Serves another bucket too (the tests' in-process handlers use one of their own). */
  addBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

// s3rver knows an access key only once it is registered with its (only) account.
const registerLocalKey = async () => {
  const { DUMMY_ACCOUNT } = (await import('s3rver/lib/models/account.js' as string)) as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
};

interface MultipartStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<unknown>;
}

/**
 * S3 answers InvalidPart when a completion names a part it does not hold, or with another ETag;
 * s3rver checks neither and crashes its process reading a part that is not there. Its store is
 * given S3's check before it assembles anything.
 */
const checkPartsOnCompletion = (server: S3rver): void => {
  const store = (server as unknown as { store: MultipartStore }).store;
  const assemble = store.putObjectMultipart.bind(store);
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    const { default: S3Error } = (await import('s3rver/lib/models/error.js' as string)) as { default: new (code: string, message: string) => Error };
    const directory = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    for (const part of parts) {
      let md5: string;
      try {
        md5 = createHash('md5')
          .update(await readFile(join(directory, String(part.number))))
          .digest('hex');
      } catch {
        throw new S3Error('InvalidPart', `Part ${part.number} was not uploaded.`);
      }
      if (md5 !== part.etag) throw new S3Error('InvalidPart', `Part ${part.number}'s ETag is not ${part.etag}.`);
    }
    return assemble(bucket, uploadId, parts);
  };
};

export const startLocalS3 = async (dataDir?: string): Promise<LocalS3> => {
  const directory = dataDir ?? mkdtempSync(join(tmpdir(), 'rapport-s3-'));
  mkdirSync(directory, { recursive: true });
  await registerLocalKey();
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: FILES_BUCKET, configs: [] }] });
  checkPartsOnCompletion(server);
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    addBucket: async (name) => {
      mkdirSync(join(directory, name), { recursive: true });
    },
    stop: async () => {
      await server.close();
      if (!dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
};
