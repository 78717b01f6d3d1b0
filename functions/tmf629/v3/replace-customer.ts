import { v3 } from '../../domain/tmf629/generations.ts';
import { replaceCustomer } from '../replace-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = replaceCustomer(v3, tmf629v3.replaceCustomer);
