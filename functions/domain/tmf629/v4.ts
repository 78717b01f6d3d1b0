/** TMF629 v4.0.0: the store's own shape (functions/domain/customer-model.ts); it shows every stored item its schema accepts. */
import {
  AccountRef,
  AgreementRef,
  Characteristic,
  ContactMedium,
  CreditProfile,
  CUSTOMER_ATTRIBUTE_NAMES,
  CustomerAttributes,
  PaymentMethodRef,
  RelatedParty,
  TMF_BASE_PATH,
} from '../customer-model.ts';
import type { TmfGeneration } from './generation.ts';
import { shownIf, type AttributeMapping, type ItemSchema } from './items.ts';

/** v4's schema of each item attribute: a stored item it does not accept is not shown in v4 (and kept by v4's writes). */
const ITEMS: Record<string, ItemSchema> = {
  account: AccountRef,
  agreement: AgreementRef,
  paymentMethod: PaymentMethodRef,
  relatedParty: RelatedParty,
  characteristic: Characteristic,
  contactMedium: ContactMedium,
  creditProfile: CreditProfile,
};

const mappings: Record<string, AttributeMapping> = Object.fromEntries(
  CUSTOMER_ATTRIBUTE_NAMES.map((name): [string, AttributeMapping] => {
    if (name === 'engagedParty') return [name, { stored: name, kind: 'one', item: shownIf(RelatedParty) }];
    const schema = ITEMS[name];
    return [name, schema ? { stored: name, kind: 'list', item: shownIf(schema) } : { stored: name, kind: 'value' }];
  }),
);

export const v4: TmfGeneration = {
  name: 'v4',
  basePath: TMF_BASE_PATH,
  aliasBasePaths: [],
  mappings,
  keptBySelection: ['id', 'href', '@type'],
  attributes: CustomerAttributes,
};
