import { v3 } from '../../domain/tmf629/generations.ts';
import { retrieveCustomer } from '../retrieve-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = retrieveCustomer(v3, tmf629v3.retrieveCustomer);
