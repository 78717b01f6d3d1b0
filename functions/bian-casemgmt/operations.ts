import type { ZodMiniType } from 'zod/mini';
import { operationsOf, type Operation, type ResponseSpec } from '../http/operation.ts';
import { HTTPError } from '../bian-crm/records.ts';
import { caseBody, caseView, wrappedView } from './case-records.ts';

const json = 'application/json';
const error = (description: string): ResponseSpec => ({ description, schema: HTTPError });
const responses = (schema: ZodMiniType) => ({
  200: { description: 'OK', schema },
  400: error('BadRequest'),
  401: error('Unauthorized'),
  403: error('Forbidden'),
  404: error('NotFound'),
});

const op = operationsOf('bian-casemgmt', 'bian-casemgmt');

/** BIAN Customer Case Management v12: the spec's 10 operations on its exact paths. */
export const bianCaseMgmt = {
  bianCaseMgmtCreate: op('bianCaseMgmtCreate', 'POST', '/CustomerCaseManagement/Create', 'create', 'write', 'Create a customer case management plan', responses(caseView('CustomerCaseManagementPlan')), { body: { [json]: caseBody('CustomerCaseManagementPlan') } }),
  bianCaseMgmtUpdate: op('bianCaseMgmtUpdate', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Update', 'update', 'write', 'Update a customer case management plan', responses(caseView('CustomerCaseManagementPlan')), { body: { [json]: caseBody('CustomerCaseManagementPlan') } }),
  bianCaseMgmtRequest: op('bianCaseMgmtRequest', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Request', 'request', 'write', 'Request an action on a case management plan', responses(caseView('CustomerCaseManagementPlan')), { body: { [json]: caseBody('CustomerCaseManagementPlan') } }),
  bianCaseMgmtRetrieve: op('bianCaseMgmtRetrieve', 'GET', '/CustomerCaseManagement/{customercasemanagementid}/Retrieve', 'retrieve', 'read', 'Retrieve a case management plan', responses(wrappedView('CustomerCaseManagementPlan'))),
  bianCaseMgmtUpdateRules: op('bianCaseMgmtUpdateRules', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Update', 'update-rules', 'write', 'Create or update case rules at the given id (PUT semantics; ResolutionTargets extension)', responses(caseView('Rules')), { body: { [json]: caseBody('Rules') } }),
  bianCaseMgmtRequestRules: op('bianCaseMgmtRequestRules', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Request', 'request-rules', 'write', 'Request an action on case rules', responses(caseView('Rules')), { body: { [json]: caseBody('Rules') } }),
  bianCaseMgmtRetrieveRules: op('bianCaseMgmtRetrieveRules', 'GET', '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Retrieve', 'retrieve-rules', 'read', 'Retrieve case rules', responses(wrappedView('Rules'))),
  bianCaseMgmtUpdatePerformance: op('bianCaseMgmtUpdatePerformance', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Update', 'update-performance', 'write', 'Create or update a performance record at the given id (PUT semantics)', responses(caseView('Performance')), { body: { [json]: caseBody('Performance') } }),
  bianCaseMgmtRequestPerformance: op('bianCaseMgmtRequestPerformance', 'PUT', '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Request', 'request-performance', 'write', 'Request an action on a performance record', responses(caseView('Performance')), { body: { [json]: caseBody('Performance') } }),
  bianCaseMgmtRetrievePerformance: op('bianCaseMgmtRetrievePerformance', 'GET', '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Retrieve', 'retrieve-performance', 'read', 'Retrieve a performance record with the live case statistics', responses(wrappedView('Performance'))),
} satisfies Record<string, Operation>;
