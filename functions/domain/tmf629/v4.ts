/** TMF629 v4.0.0: the store's own shape (functions/domain/customer-model.ts); it shows every stored item its schema can hold. */
import { CUSTOMER_ATTRIBUTE_NAMES, CustomerAttributes, TMF_BASE_PATH } from '../customer-model.ts';
import type { TmfGeneration } from './generation.ts';
import { asStored, hasStrings, type AttributeMapping, type Json } from './items.ts';

const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** Per attribute, what v4's schema requires of a stored item for v4 to show it. */
const LISTS: Record<string, (item: Json) => boolean> = {
  account: hasStrings('name'),
  agreement: hasStrings('id'),
  paymentMethod: hasStrings('id'),
  relatedParty: hasStrings('id', '@referredType'),
  characteristic: (item) => hasStrings('name')(item) && item.value !== undefined,
  contactMedium: (item) => hasStrings('mediumType')(item) && isObject(item.characteristic),
  creditProfile: (item) => hasStrings('creditProfileDate')(item) && isObject(item.validFor),
};

const mappings: Record<string, AttributeMapping> = Object.fromEntries(
  CUSTOMER_ATTRIBUTE_NAMES.map((name): [string, AttributeMapping] => {
    if (name === 'engagedParty') return [name, { stored: name, kind: 'one', item: asStored(hasStrings('id', '@referredType')) }];
    const shown = LISTS[name];
    return [name, shown ? { stored: name, kind: 'list', item: asStored(shown) } : { stored: name, kind: 'value' }];
  }),
);

export const v4: TmfGeneration = { name: 'v4', basePath: TMF_BASE_PATH, aliasBasePaths: [], mappings, attributes: CustomerAttributes };
