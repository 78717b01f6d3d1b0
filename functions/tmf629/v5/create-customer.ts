import { v5 } from '../../domain/tmf629/generations.ts';
import { createCustomer } from '../create-customer.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = createCustomer(v5, tmf629v5.createCustomer);
