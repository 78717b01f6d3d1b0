/**
 * The import state machine as the stack defines it (lib/imports.ts), checked by `asl-validator`
 * (Amazon States Language: schema, transitions, terminal states) and read for what the in-process
 * driver (functions/imports/drive-import.ts) assumes of it: split, then every chunk of the manifest
 * then of the next manifest, in two Distributed Maps at the job's concurrency, each retried, then the finish — after a failed map too;
 * and the export state machine (functions/imports/drive-export.ts): begin, every part run until done, finish.
 */
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addRapport } from '../../lib/rapport-app.ts';
import { IMPORT_LIMITS } from '../../functions/domain/imports.ts';
import { CUSTOMER_PARTS } from '../../functions/storage/customers/customer-lists.ts';

type Validate = (definition: unknown) => { isValid: boolean; errorsText(separator?: string): string };
const validate = createRequire(import.meta.url)('asl-validator') as Validate;

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  MaxConcurrency?: number;
  ItemReader?: { Resource: string; ReaderConfig?: { InputType: string }; Parameters: Record<string, unknown> };
  ItemProcessor?: { ProcessorConfig: { Mode: string }; StartAt: string; States: Record<string, State> };
  Choices?: { Next: string }[];
  Default?: string;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

/** The definition of the machine whose logical id starts with `id`, as CloudFormation would hand it to Step Functions, each reference standing for an ARN of its kind. */
const definitionOf = (template: Template, id: string): Definition => {
  const [machine] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine'))
    .filter(([logicalId]) => logicalId.startsWith(id))
    .map(([, resource]) => resource);
  const joined = (machine!.Properties as { DefinitionString: { 'Fn::Join': [string, unknown[]] } }).DefinitionString['Fn::Join'][1];
  const PSEUDO: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': '123456789012',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const text = joined
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref && PSEUDO[ref]) return PSEUDO[ref];
      return JSON.stringify(part).includes('Files') ? 'rapport-files' : 'arn:aws:lambda:eu-west-1:123456789012:function:step';
    })
    .join('');
  return JSON.parse(text) as Definition;
};

let template: Template;
beforeAll(() => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'rapport-cdk-')), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = addRapport(app);
  const imports = stack.node.findAll().find((c): c is NestedStack => c instanceof NestedStack && c.node.id === 'Imports')!;
  template = Template.fromStack(imports);
});

describe('the import state machine', () => {
  let definition: Definition;
  beforeAll(() => {
    definition = definitionOf(template, 'StateMachine');
  });

  it('is valid Amazon States Language', () => {
    const result = validate(definition);
    expect(result.isValid, result.errorsText()).toBe(true);
  });

  it('splits, maps the manifest’s chunks then the next manifest’s at the job’s concurrency with retries, and finishes — after a failed map too', () => {
    expect(definition.StartAt).toBe('Split');
    const { Split, AnyChunks, Chunks, NextChunks, Finish } = definition.States;
    expect(Split).toMatchObject({ Type: 'Task', Next: 'AnyChunks' });
    expect(AnyChunks!.Type).toBe('Choice');
    expect(AnyChunks!.Choices!.map((c) => c.Next)).toEqual(['Chunks']);
    expect(Chunks).toMatchObject({ Type: 'Map', Next: 'NextChunks' });
    expect(NextChunks).toMatchObject({ Type: 'Map', Next: 'Finish' });
    for (const [map, manifest] of [
      [Chunks!, '$.split.manifest'],
      [NextChunks!, '$.split.childManifest'],
    ] as const) {
      expect(map.MaxConcurrency).toBe(IMPORT_LIMITS.chunkConcurrency);
      expect(map.ItemProcessor!.ProcessorConfig.Mode).toBe('DISTRIBUTED');
      expect(map.ItemReader, JSON.stringify(map.ItemReader)).toMatchObject({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Key.$': manifest },
      });
      expect(map.Catch!.map((c) => [c.ErrorEquals, c.Next])).toEqual([[['States.ALL'], 'Finish']]);
      const chunk = map.ItemProcessor!.States[map.ItemProcessor!.StartAt]!;
      expect(chunk.Retry!.some((r) => r.ErrorEquals.includes('States.ALL') && r.MaxAttempts >= 3)).toBe(true);
      // A chunk whose tenant's slots were all taken is run again later, many times (States.ALL must come last to let it match).
      const busy = chunk.Retry!.findIndex((r) => r.ErrorEquals.includes('TenantBusy'));
      expect(busy).toBeGreaterThanOrEqual(0);
      expect(busy).toBeLessThan(chunk.Retry!.findIndex((r) => r.ErrorEquals.includes('States.ALL')));
      expect(chunk.Retry![busy]!.MaxAttempts).toBeGreaterThanOrEqual(20);
    }
    expect(Finish).toMatchObject({ Type: 'Task', End: true });
  });

  it('fails the validator on a broken definition (the check is live)', () => {
    const broken = structuredClone(definition);
    delete broken.States.Finish;
    expect(validate(broken).isValid).toBe(false);
  });
});

describe('the export state machine', () => {
  let definition: Definition;
  beforeAll(() => {
    definition = definitionOf(template, 'ExportStateMachine');
  });

  it('is valid Amazon States Language', () => {
    const result = validate(definition);
    expect(result.isValid, result.errorsText()).toBe(true);
  });

  it('begins, runs every part at once — each again until it is done, retried — and finishes, after a failed map too', () => {
    expect(definition.StartAt).toBe('ExportBegin');
    const { ExportBegin, ExportParts, ExportFinish } = definition.States;
    expect(ExportBegin).toMatchObject({ Type: 'Task', Next: 'ExportParts' });
    expect(ExportParts).toMatchObject({ Type: 'Map', Next: 'ExportFinish', MaxConcurrency: CUSTOMER_PARTS });
    expect(ExportParts!.Catch!.map((c) => [c.ErrorEquals, c.Next])).toEqual([[['States.ALL'], 'ExportFinish']]);
    const processor = ExportParts!.ItemProcessor!;
    const part = processor.States[processor.StartAt]!;
    expect(part.Retry!.some((r) => r.ErrorEquals.includes('States.ALL') && r.MaxAttempts >= 3)).toBe(true);
    expect(part.Next).toBe('ExportPartDone');
    // Not done: the same part again (it continues from its saved state).
    expect(processor.States.ExportPartDone).toMatchObject({ Type: 'Choice', Default: processor.StartAt });
    expect(ExportFinish).toMatchObject({ Type: 'Task', End: true });
  });
});
