import { v5 } from '../../domain/tmf629/generations.ts';
import { listCustomer } from '../list-customer.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = listCustomer(v5, tmf629v5.listCustomer);
