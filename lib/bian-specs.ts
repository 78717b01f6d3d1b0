import { contractFile } from './contracts.ts';

const specs = contractFile('specs', 'bian');

/** The official BIAN files the generated schemas come from, and where each generated file goes. */
export const BIAN_SPECS = [
  {
    file: `${specs}/CustomerRelationshipManagement-v12.0.0.yaml`,
    label: 'BIAN CustomerRelationshipManagement 12.0.0 (../shared/specs/bian/CustomerRelationshipManagement-v12.0.0.yaml)',
    output: 'functions/bian-crm/spec-schemas.ts',
  },
  {
    file: `${specs}/CustomerCaseManagement-v12.0.0.yaml`,
    label: 'BIAN CustomerCaseManagement 12.0.0 (../shared/specs/bian/CustomerCaseManagement-v12.0.0.yaml)',
    output: 'functions/bian-casemgmt/spec-schemas.ts',
  },
];
