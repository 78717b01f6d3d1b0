import { operationsOf, type Operation, type ResponseSpec } from '../http/operation.ts';
import { controlBody, exchangeBody, HTTPError, recordBody, recordView, type Kind } from './records.ts';

const json = 'application/json';
const error = (description: string): ResponseSpec => ({ description, schema: HTTPError });
const responses = (kind: Kind) => ({
  200: { description: `${kind} (with Rapport's reference, status and action-record extensions)`, schema: recordView(kind) },
  400: error('BadRequest'),
  401: error('Unauthorized'),
  403: error('Forbidden'),
  404: error('NotFound'),
});

const op = operationsOf('bian-crm', 'bian-crm');

/** BIAN Customer Relationship Management v12: the spec's 22 operations on its exact paths (operation ids prefixed with the family). */
export const bianCrm = {
  bianCrmCreate: op('bianCrmCreate', 'POST', '/CustomerRelationshipManagement/Create', 'create', 'write', 'Create an initial relationship management plan', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: recordBody('CustomerRelationshipManagementPlan') } }),
  bianCrmUpdate: op('bianCrmUpdate', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Update', 'update', 'write', 'Update details of an active relationship plan', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: recordBody('CustomerRelationshipManagementPlan') } }),
  bianCrmControl: op('bianCrmControl', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Control', 'control', 'write', 'Control the processing of a relationship plan (suspend, resume, terminate)', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: controlBody('CustomerRelationshipManagementPlan') } }),
  bianCrmExchange: op('bianCrmExchange', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Exchange', 'exchange', 'write', 'Accept, verify or reject a relationship plan', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: exchangeBody('CustomerRelationshipManagementPlan') } }),
  bianCrmRequest: op('bianCrmRequest', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Request', 'request', 'write', 'Request an action in a relationship plan', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: recordBody('CustomerRelationshipManagementPlan') } }),
  bianCrmGrant: op('bianCrmGrant', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Grant', 'grant', 'write', 'Grant an action in a relationship plan', { ...responses('CustomerRelationshipManagementPlan'), 409: error('Conflict'), }, { body: { [json]: recordBody('CustomerRelationshipManagementPlan') } }),
  bianCrmRetrieve: op('bianCrmRetrieve', 'GET', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Retrieve', 'retrieve', 'read', 'Retrieve a relationship plan', { ...responses('CustomerRelationshipManagementPlan'), }),
  bianCrmCreateDevelopment: op('bianCrmCreateDevelopment', 'POST', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/Create', 'create-development', 'write', 'Create a relationship development task', { ...responses('Development'), 409: error('Conflict'), }, { body: { [json]: recordBody('Development') } }),
  bianCrmUpdateDevelopment: op('bianCrmUpdateDevelopment', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Update', 'update-development', 'write', 'Update a relationship development task', { ...responses('Development'), 409: error('Conflict'), }, { body: { [json]: recordBody('Development') } }),
  bianCrmExchangeDevelopment: op('bianCrmExchangeDevelopment', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Exchange', 'exchange-development', 'write', 'Accept, verify or reject a development task', { ...responses('Development'), 409: error('Conflict'), }, { body: { [json]: exchangeBody('Development') } }),
  bianCrmRequestDevelopment: op('bianCrmRequestDevelopment', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Request', 'request-development', 'write', 'Request an action on a development task', { ...responses('Development'), 409: error('Conflict'), }, { body: { [json]: recordBody('Development') } }),
  bianCrmRetrieveDevelopment: op('bianCrmRetrieveDevelopment', 'GET', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Retrieve', 'retrieve-development', 'read', 'Retrieve a development task', { ...responses('Development'), }),
  bianCrmCreateIncident: op('bianCrmCreateIncident', 'POST', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/Create', 'create-incident', 'write', 'Create a customer incident', { ...responses('Incident'), 409: error('Conflict'), }, { body: { [json]: recordBody('Incident') } }),
  bianCrmUpdateIncident: op('bianCrmUpdateIncident', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Update', 'update-incident', 'write', 'Update a customer incident', { ...responses('Incident'), 409: error('Conflict'), }, { body: { [json]: recordBody('Incident') } }),
  bianCrmControlIncident: op('bianCrmControlIncident', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Control', 'control-incident', 'write', 'Control an incident (raise/lower priority, suspend, resume, terminate)', { ...responses('Incident'), 409: error('Conflict'), }, { body: { [json]: controlBody('Incident') } }),
  bianCrmExchangeIncident: op('bianCrmExchangeIncident', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Exchange', 'exchange-incident', 'write', 'Accept, reject or confirm an incident', { ...responses('Incident'), 409: error('Conflict'), }, { body: { [json]: exchangeBody('Incident') } }),
  bianCrmCaptureIncident: op('bianCrmCaptureIncident', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Capture', 'capture-incident', 'write', 'Capture details of an incident', { ...responses('Incident'), 409: error('Conflict'), }, { body: { [json]: recordBody('Incident') } }),
  bianCrmRetrieveIncident: op('bianCrmRetrieveIncident', 'GET', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Retrieve', 'retrieve-incident', 'read', 'Retrieve an incident', { ...responses('Incident'), }),
  bianCrmCreateContact: op('bianCrmCreateContact', 'POST', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/Create', 'create-contact', 'write', 'Create a customer contact record', { ...responses('Contact'), 409: error('Conflict'), }, { body: { [json]: recordBody('Contact') } }),
  bianCrmUpdateContact: op('bianCrmUpdateContact', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Update', 'update-contact', 'write', 'Update a customer contact record', { ...responses('Contact'), 409: error('Conflict'), }, { body: { [json]: recordBody('Contact') } }),
  bianCrmRequestContact: op('bianCrmRequestContact', 'PUT', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Request', 'request-contact', 'write', 'Request an action on a contact record', { ...responses('Contact'), 409: error('Conflict'), }, { body: { [json]: recordBody('Contact') } }),
  bianCrmRetrieveContact: op('bianCrmRetrieveContact', 'GET', '/CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Retrieve', 'retrieve-contact', 'read', 'Retrieve a contact record', { ...responses('Contact'), }),
} satisfies Record<string, Operation>;
