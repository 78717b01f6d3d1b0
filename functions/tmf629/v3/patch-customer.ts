import { v3 } from '../../domain/tmf629/generations.ts';
import { patchCustomer } from '../patch-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = patchCustomer(v3, tmf629v3.patchCustomer);
