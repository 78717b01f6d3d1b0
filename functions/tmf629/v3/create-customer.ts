import { v3 } from '../../domain/tmf629/generations.ts';
import { createCustomer } from '../create-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = createCustomer(v3, tmf629v3.createCustomer);
