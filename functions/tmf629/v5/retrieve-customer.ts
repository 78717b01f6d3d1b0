import { v5 } from '../../domain/tmf629/generations.ts';
import { retrieveCustomer } from '../retrieve-customer.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = retrieveCustomer(v5, tmf629v5.retrieveCustomer);
