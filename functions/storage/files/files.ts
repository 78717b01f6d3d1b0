/**
 * The files bucket (issue 27): what imports upload, the chunks their splitter writes, their results,
 * and exports' parts. Every object lives under its tenant's prefix (`tenants/<tenant>/…`), so a
 * presigned URL — scoped to one object, short-lived — can never name another tenant's. The bucket
 * encrypts at rest (SSE-S3 in the stack) and takes HTTPS only. This module is the only code that
 * knows the keys; on one machine the bucket is s3rver's (lib/local/s3-local.ts), reached through
 * AWS_ENDPOINT_URL_S3 with path-style addressing.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { awsClient } from '../../aws-clients.ts';

/** One client per instance; locally path-style (`S3_FORCE_PATH_STYLE`), as s3rver serves buckets under its address. */
const s3 = awsClient(new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }));

const bucket = (): string => {
  const name = process.env.FILES_BUCKET;
  if (!name) throw new Error('FILES_BUCKET is not set');
  return name;
};

/** How long a presigned URL may be used: long enough to send a 64 MiB part on a slow line, short enough to be useless when leaked. */
export const PRESIGNED_SECONDS = 900;

/** S3's multipart bounds: parts of 5 MiB to 5 GiB, at most 10,000 of them. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

/** An import's objects: its upload, its chunks and their manifest (what the Distributed Map reads), its results per chunk. */
export const importKeys = (tenantId: string, importId: string) => {
  const base = `tenants/${tenantId}/imports/${importId}`;
  return {
    upload: `${base}/upload`,
    chunk: (n: number) => `${base}/chunks/${String(n).padStart(6, '0')}.ndjson`,
    manifest: `${base}/chunks/manifest.json`,
    /** The chunks to run once the manifest's have (rows that refer to the file's customers). */
    childManifest: `${base}/chunks/manifest-next.json`,
    /** Each chunk's first line (where a line of the file is). */
    lines: `${base}/chunks/lines.json`,
    /** The outcomes of a chunk's first run (its customers; in a revert, its activities and opportunities), with how to undo them, kept until its second run writes all its results. */
    partialResults: (n: number) => `${base}/partial/${String(n).padStart(6, '0')}.ndjson`,
    results: (n: number) => `${base}/results/${String(n).padStart(6, '0')}.ndjson`,
    /** How to undo each line's write (domain/imports.ts, UndoEntry), per chunk: what a revert reads. */
    undo: (n: number) => `${base}/undo/${String(n).padStart(6, '0')}.ndjson`,
  };
};

/** Starts a multipart upload of an object; its id names it in the parts' URLs. */
export const startUpload = async (key: string, contentType: string): Promise<string> => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket(), Key: key, ContentType: contentType }));
  if (!UploadId) throw new Error('S3 gave no UploadId');
  return UploadId;
};

/** Presigned PUT URLs of parts 1…`parts` of a multipart upload, each for that part alone. */
export const partUrls = (key: string, uploadId: string, parts: number): Promise<{ partNumber: number; url: string }[]> =>
  Promise.all(
    Array.from({ length: parts }, async (_, i) => ({
      partNumber: i + 1,
      url: await getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket(), Key: key, UploadId: uploadId, PartNumber: i + 1 }), {
        expiresIn: PRESIGNED_SECONDS,
      }),
    })),
  );

/** Ends a multipart upload with the parts the caller sent (their numbers and ETags); S3 checks each. */
export const completeUpload = async (key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<void> => {
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket(),
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })) },
    }),
  );
};

/** Gives up a multipart upload (its parts are dropped). */
export const abortUpload = async (key: string, uploadId: string): Promise<void> => {
  await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: key, UploadId: uploadId }));
};

/** An object's size in bytes, or undefined when there is none. */
export const objectSize = async (key: string): Promise<number | undefined> => {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }))).ContentLength;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
};

/** An object's bytes as a stream (read once, never held whole). */
export const readObject = async (key: string): Promise<Readable> => {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  if (!Body) throw new Error(`S3 gave no body for ${key}`);
  return Body as Readable;
};

/** A small object's text (a chunk, a chunk's results), or undefined when there is none yet. */
export const readText = async (key: string): Promise<string | undefined> => {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return Body ? await Body.transformToString('utf-8') : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
};

/** An export's objects: its parts (gzip), and where each of its parts' steps stands. */
export const exportKeys = (tenantId: string, exportId: string) => {
  const base = `tenants/${tenantId}/exports/${exportId}`;
  return {
    part: (part: number, sequence: number, extension: string) =>
      `${base}/parts/${String(part).padStart(3, '0')}-${String(sequence).padStart(6, '0')}.${extension}.gz`,
    state: (part: number) => `${base}/state/${String(part).padStart(3, '0')}.json`,
    /** Its files, their counts and sha256, once completed (kept here, not on the job: it grows with the tenant). */
    manifest: `${base}/manifest.json`,
  };
};

/** Writes a small object whole (a chunk, a chunk's results, an export's part: bounded). */
export const writeObject = async (key: string, body: string | Uint8Array, contentType = 'application/x-ndjson'): Promise<void> => {
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
};

/** A presigned GET URL of one object, for PRESIGNED_SECONDS. */
export const downloadUrl = (key: string): Promise<string> =>
  getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key: key }), { expiresIn: PRESIGNED_SECONDS });
