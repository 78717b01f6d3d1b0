import { defineHandler } from '../http/kernel.ts';
import { createPlan } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** POST /CustomerCaseManagement/Create — Create a customer case management plan. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtCreate, (request) => createPlan(request));
