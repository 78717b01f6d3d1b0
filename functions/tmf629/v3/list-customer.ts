import { v3 } from '../../domain/tmf629/generations.ts';
import { listCustomer } from '../list-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = listCustomer(v3, tmf629v3.listCustomer);
