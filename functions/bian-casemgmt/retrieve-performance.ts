import { defineHandler } from '../http/kernel.ts';
import { retrieveCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** GET /CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Retrieve — Retrieve a performance record with the live case statistics. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRetrievePerformance, (request) => retrieveCase(request, 'Performance'));
