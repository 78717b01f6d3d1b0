import { operationsOf, type Operation } from '../http/operation.ts';
import { bianResponses } from '../bian/shared.ts';
import { caseBody, caseView, wrappedView } from './case-records.ts';

const json = 'application/json';

const op = operationsOf('bian-casemgmt', 'bian-casemgmt');

/** BIAN Customer Case Management v12: the spec's 10 operations on its exact paths. */
export const bianCaseMgmt = {
  bianCaseMgmtCreate: op(
    'bianCaseMgmtCreate',
    'POST',
    '/CustomerCaseManagement/Create',
    'create',
    'write',
    'Create a customer case management plan',
    bianResponses(caseView('CustomerCaseManagementPlan')),
    { body: { [json]: caseBody('CustomerCaseManagementPlan') } },
  ),
  bianCaseMgmtUpdate: op(
    'bianCaseMgmtUpdate',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Update',
    'update',
    'write',
    'Update a customer case management plan',
    bianResponses(caseView('CustomerCaseManagementPlan')),
    { body: { [json]: caseBody('CustomerCaseManagementPlan') } },
  ),
  bianCaseMgmtRequest: op(
    'bianCaseMgmtRequest',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Request',
    'request',
    'write',
    'Request an action on a case management plan',
    bianResponses(caseView('CustomerCaseManagementPlan')),
    { body: { [json]: caseBody('CustomerCaseManagementPlan') } },
  ),
  bianCaseMgmtRetrieve: op(
    'bianCaseMgmtRetrieve',
    'GET',
    '/CustomerCaseManagement/{customercasemanagementid}/Retrieve',
    'retrieve',
    'read',
    'Retrieve a case management plan',
    bianResponses(wrappedView('CustomerCaseManagementPlan')),
  ),
  bianCaseMgmtUpdateRules: op(
    'bianCaseMgmtUpdateRules',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Update',
    'update-rules',
    'write',
    'Create or update case rules at the given id (PUT semantics; ResolutionTargets extension)',
    bianResponses(caseView('Rules')),
    { body: { [json]: caseBody('Rules') } },
  ),
  bianCaseMgmtRequestRules: op(
    'bianCaseMgmtRequestRules',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Request',
    'request-rules',
    'write',
    'Request an action on case rules',
    bianResponses(caseView('Rules')),
    { body: { [json]: caseBody('Rules') } },
  ),
  bianCaseMgmtRetrieveRules: op(
    'bianCaseMgmtRetrieveRules',
    'GET',
    '/CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Retrieve',
    'retrieve-rules',
    'read',
    'Retrieve case rules',
    bianResponses(wrappedView('Rules')),
  ),
  bianCaseMgmtUpdatePerformance: op(
    'bianCaseMgmtUpdatePerformance',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Update',
    'update-performance',
    'write',
    'Create or update a performance record at the given id (PUT semantics)',
    bianResponses(caseView('Performance')),
    { body: { [json]: caseBody('Performance') } },
  ),
  bianCaseMgmtRequestPerformance: op(
    'bianCaseMgmtRequestPerformance',
    'PUT',
    '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Request',
    'request-performance',
    'write',
    'Request an action on a performance record',
    bianResponses(caseView('Performance')),
    { body: { [json]: caseBody('Performance') } },
  ),
  bianCaseMgmtRetrievePerformance: op(
    'bianCaseMgmtRetrievePerformance',
    'GET',
    '/CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Retrieve',
    'retrieve-performance',
    'read',
    'Retrieve a performance record with the live case statistics',
    bianResponses(wrappedView('Performance')),
  ),
} satisfies Record<string, Operation>;
