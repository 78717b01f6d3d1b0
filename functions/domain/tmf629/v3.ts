/**
 * TMF629 of Release 17/18 ("v3": `/tmf-api/customerManagement/v3`), as the R18.0 admin swagger
 * defines it: a create needs only `name`; `engagedParty` is a PartyRef (id and href); `type` is a
 * RoleTypeRef, which v4 and v5 do not have (stored as `roleType`); a contact medium's kind is
 * `type` (v4: `mediumType`), and so is its characteristic's (v4: `contactType`); a characteristic's
 * value is a string.
 */
import * as z from 'zod/mini';
import { CreditProfile, polymorphic, TimePeriod } from '../customer-model.ts';
import type { TmfGeneration } from './generation.ts';
import { defined, shownIf, type AttributeMapping, type ItemMapping, type Json } from './items.ts';

export const V3_BASE_PATH = '/tmf-api/customerManagement/v3';

/** R18's objects are open; a `@schemaLocation` in them is a URI all the same (v4 shows them). */
const loose = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject({ '@schemaLocation': polymorphic['@schemaLocation'], ...shape });
const optionalStrings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, z.optional(z.string())]));

const PartyRef = z.lazy(() => loose({ id: z.string().check(z.minLength(1)), href: z.string(), ...optionalStrings('name', 'description', '@referredType') }));
const RoleTypeRef = z.lazy(() => loose(optionalStrings('name', 'partnershipHref', 'partnershipId', 'partnershipName', '@referredType')));
const AccountRef = z.lazy(() => loose({ id: z.string(), href: z.string(), name: z.string(), ...optionalStrings('description', '@referredType') }));
const PaymentMethodRef = z.lazy(() => loose({ id: z.string(), href: z.string(), ...optionalStrings('name', '@referredType') }));
const AgreementRef = z.lazy(() => loose(optionalStrings('id', 'href', 'name', '@referredType')));
const RelatedPartyRef = z.lazy(() => loose(optionalStrings('id', 'href', 'name', 'role', '@referredType')));
const MediumCharacteristic = z.lazy(() =>
  loose(optionalStrings('city', 'country', 'emailAddress', 'faxNumber', 'phoneNumber', 'postCode', 'stateOrProvince', 'street1', 'street2', 'type')),
);
const ContactMedium = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    preferred: z.optional(z.boolean()),
    validFor: z.optional(TimePeriod),
    characteristic: MediumCharacteristic,
    ...polymorphic,
  }),
);
const Characteristic = z.lazy(() => loose({ name: z.string(), value: z.string() }));

/** R18's Customer attributes, as a shape (built when called). */
export const v3AttributeShape = () => ({
  name: z.string().check(z.minLength(1)),
  status: z.optional(z.string()),
  statusReason: z.optional(z.string()),
  validFor: z.optional(TimePeriod),
  engagedParty: z.optional(PartyRef),
  type: z.optional(RoleTypeRef),
  account: z.optional(z.array(AccountRef)),
  paymentMethod: z.optional(z.array(PaymentMethodRef)),
  contactMedium: z.optional(z.array(ContactMedium)),
  characteristic: z.optional(z.array(Characteristic)),
  creditProfile: z.optional(z.array(CreditProfile)),
  agreement: z.optional(z.array(AgreementRef)),
  relatedParty: z.optional(z.array(RelatedPartyRef)),
  ...polymorphic,
});

/** Customer_Create of R18 (and a full update's body): only `name` is required. */
export const V3CustomerAttributes = z.lazy(() => z.strictObject(v3AttributeShape()));
/** R18's Customer, as answered. */
export const V3Customer = z.lazy(() => z.object({ id: z.string(), href: z.string(), ...v3AttributeShape() }));

/** The engaged party stored for a v3 customer created without one: its own party, of no known kind (v4 and v5 require one). */
const ownParty = (id: string): Json => ({ id, '@referredType': 'Party' });

const engagedParty: ItemMapping = shownIf(PartyRef, {
  show: (stored) => stored,
  take: (given) => ({ ...given, '@referredType': given['@referredType'] || 'Party' }),
});

const rename = (item: Json, from: string, to: string): Json => {
  const { [from]: value, ...rest } = item;
  return defined({ ...rest, [to]: value });
};

const contactMedium: ItemMapping = {
  show: (stored) =>
    typeof stored.characteristic === 'object' && stored.characteristic !== null
      ? { ...rename(stored, 'mediumType', 'type'), characteristic: rename(stored.characteristic as Json, 'contactType', 'type') }
      : undefined,
  take: (given) => ({ ...rename(given, 'type', 'mediumType'), characteristic: rename(given.characteristic as Json, 'type', 'contactType') }),
};

/** v3 values are text: other values show as their JSON text (and, sent back unchanged, stay what they were). */
const characteristic: ItemMapping = {
  show: (stored) =>
    typeof stored.name !== 'string' || stored.value === undefined
      ? undefined
      : { ...stored, value: typeof stored.value === 'string' ? stored.value : JSON.stringify(stored.value) },
  take: (given) => given,
};

const value = (stored: string): AttributeMapping => ({ stored, kind: 'value' });
const list = (stored: string, item: ItemMapping): AttributeMapping => ({ stored, kind: 'list', item });

export const v3: TmfGeneration = {
  name: 'v3',
  basePath: V3_BASE_PATH,
  aliasBasePaths: [],
  mappings: {
    name: value('name'),
    status: value('status'),
    statusReason: value('statusReason'),
    validFor: value('validFor'),
    engagedParty: { stored: 'engagedParty', kind: 'one', item: engagedParty },
    type: value('roleType'),
    account: list('account', shownIf(AccountRef)),
    paymentMethod: list('paymentMethod', shownIf(PaymentMethodRef)),
    contactMedium: list('contactMedium', shownIf(ContactMedium, contactMedium)),
    characteristic: list('characteristic', shownIf(Characteristic, characteristic)),
    creditProfile: list('creditProfile', shownIf(CreditProfile)),
    agreement: list('agreement', shownIf(AgreementRef)),
    relatedParty: list('relatedParty', shownIf(RelatedPartyRef)),
    '@baseType': value('@baseType'),
    '@schemaLocation': value('@schemaLocation'),
    '@type': value('@type'),
  },
  keptBySelection: [],
  attributes: V3CustomerAttributes,
  complete: (stored, id) => (stored.engagedParty === undefined ? { ...stored, engagedParty: ownParty(id) } : stored),
};
