import { defineHandler } from '../http/kernel.ts';
import { createRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** POST /CustomerRelationshipManagement/Create — Create an initial relationship management plan. */
export const handler = defineHandler(bianCrm.bianCrmCreate, (request) => createRecord(request, KIND));
