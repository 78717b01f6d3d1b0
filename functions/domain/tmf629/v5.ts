/**
 * TMF629 v5.0.1 (`/tmf-api/customer/v5`, also answered under `/tmf-api/customerManagement/v5`):
 * `@type` on the resource and on every sub-resource; contact media are typed by `@type`
 * (EmailContactMedium …) and carry their fields directly; characteristics are typed by their
 * value (StringCharacteristic …); a related party is a RelatedPartyOrPartyRole wrapping a
 * reference; new attributes `description`, `role` and `partyRoleSpecification`, which v3 and v4
 * do not have. The store keeps v4's shape; this file maps both ways.
 */
import * as z from 'zod/mini';
import { polymorphic, TimePeriod } from '../customer-model.ts';
import type { TmfGeneration } from './generation.ts';
import { defined, shownIf, type AttributeMapping, type ItemMapping, type Json } from './items.ts';

export const V5_BASE_PATH = '/tmf-api/customer/v5';
/** Where TM Forum's v5 conformance kit points by default; the same operations answer there. */
export const V5_ALIAS_BASE_PATH = '/tmf-api/customerManagement/v5';

const dateTime = z.lazy(() => z.iso.datetime({ offset: true }));
const typed = () => ({ ...polymorphic, '@type': z.string().check(z.minLength(1)) });
const optionalStrings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, z.optional(z.string())]));

/** An EntityRef as Rapport takes it: `@type` (as v5 requires) and `id` (as v5's read model requires). */
const EntityRef = z.lazy(() => z.looseObject({ ...typed(), id: z.string().check(z.minLength(1)), ...optionalStrings('href', 'name', '@referredType') }));

export const CONTACT_MEDIUM_TYPES = [
  'ContactMedium',
  'EmailContactMedium',
  'PhoneContactMedium',
  'FaxContactMedium',
  'SocialContactMedium',
  'GeographicAddressContactMedium',
] as const;
type ContactMediumType = (typeof CONTACT_MEDIUM_TYPES)[number];

const ContactMedium = z.lazy(() =>
  z.looseObject({
    ...typed(),
    '@type': z.enum(CONTACT_MEDIUM_TYPES),
    ...optionalStrings(
      'id',
      'contactType',
      'emailAddress',
      'phoneNumber',
      'faxNumber',
      'socialNetworkId',
      'city',
      'country',
      'postCode',
      'stateOrProvince',
      'street1',
      'street2',
    ),
    preferred: z.optional(z.boolean()),
    validFor: z.optional(TimePeriod),
  }),
);
const Characteristic = z.lazy(() =>
  z
    .looseObject({ ...typed(), ...optionalStrings('id', 'name', 'valueType'), value: z.optional(z.unknown()) })
    .check(z.refine((c) => characteristicValueFits(c['@type'] as string, c.value), { message: 'does not fit the characteristic’s @type', path: ['value'] })),
);
const CreditProfile = z.lazy(() =>
  z.looseObject({
    ...typed(),
    ...optionalStrings('id', 'href'),
    creditProfileDate: z.optional(dateTime),
    creditRiskRating: z.optional(z.int()),
    creditScore: z.optional(z.int()),
    validFor: z.optional(TimePeriod),
  }),
);
/** `role` is required by RelatedPartyOrPartyRole_FVO; v4's related parties need not have one, so it is optional here (v5 shows them, and takes them back). */
const RelatedPartyOrPartyRole = z.lazy(() => z.looseObject({ ...typed(), role: z.optional(z.string()), partyOrPartyRole: EntityRef }));

const attributeShape = () => ({
  ...typed(),
  name: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  role: z.optional(z.string()),
  status: z.optional(z.string()),
  statusReason: z.optional(z.string()),
  validFor: z.optional(TimePeriod),
  engagedParty: EntityRef,
  partyRoleSpecification: z.optional(EntityRef),
  account: z.optional(z.array(EntityRef)),
  agreement: z.optional(z.array(EntityRef)),
  paymentMethod: z.optional(z.array(EntityRef)),
  characteristic: z.optional(z.array(Characteristic)),
  contactMedium: z.optional(z.array(ContactMedium)),
  creditProfile: z.optional(z.array(CreditProfile)),
  relatedParty: z.optional(z.array(RelatedPartyOrPartyRole)),
});

/** Customer_FVO (a create's body), and a customer's attributes after a patch: `@type`, `name` and `engagedParty` required. */
export const V5CustomerAttributes = z.lazy(() => z.strictObject(attributeShape()));
/** v5's Customer, as answered. */
export const V5Customer = z.lazy(() => z.object({ id: z.string(), href: z.string(), ...attributeShape() }));

/** v5's Hub_FVO and Hub. */
export const V5HubInput = z.lazy(() =>
  z.strictObject({
    ...typed(),
    callback: z.string().check(z.minLength(1)),
    query: z.optional(z.string()),
    secret: z.optional(z.string()),
  }),
);
export const V5Hub = z.lazy(() => z.object({ ...typed(), id: z.string(), href: z.string(), callback: z.string(), query: z.optional(z.string()) }));

/** A reference as v5 shows it: with `@type` (`fallback` unless it has one). */
const reference = (fallback: string, types: readonly string[] = [fallback]): ItemMapping =>
  shownIf(EntityRef, {
    show: (stored) => ({ ...stored, '@type': types.includes(String(stored['@type'])) ? stored['@type'] : fallback }),
    take: (given) => given,
  });

/** A party v5 was given: v4 and v3 need to know of what kind (`@referredType`); Party when it does not say. */
const party: ItemMapping = {
  show: reference('PartyRef', ['PartyRef', 'PartyRoleRef']).show,
  take: (given) => ({ ...given, '@referredType': given['@referredType'] || 'Party' }),
};

/** v4's `mediumType` for each v5 contact medium type (the words the CRM view reads: Email, Phone, MailingAddress). */
const MEDIUM_TYPE: Record<ContactMediumType, string> = {
  EmailContactMedium: 'Email',
  PhoneContactMedium: 'Phone',
  FaxContactMedium: 'Fax',
  SocialContactMedium: 'SocialNetwork',
  GeographicAddressContactMedium: 'MailingAddress',
  ContactMedium: 'Other',
};
/** The characteristic fields each v5 contact medium type carries. */
const MEDIUM_FIELDS: Record<ContactMediumType, readonly string[]> = {
  EmailContactMedium: ['emailAddress'],
  PhoneContactMedium: ['phoneNumber'],
  FaxContactMedium: ['faxNumber'],
  SocialContactMedium: ['socialNetworkId'],
  GeographicAddressContactMedium: ['city', 'country', 'postCode', 'stateOrProvince', 'street1', 'street2', 'geographicAddress'],
  ContactMedium: [],
};
const ADDRESS_WORDS = ['mailingaddress', 'postaladdress', 'address', 'geographicaddress'];

/** The v5 type of a stored (v4-shaped) contact medium: its `@type` if v5 knows it, else from its `mediumType`, else from its fields. */
const mediumTypeOf = (medium: Json, characteristic: Json): ContactMediumType => {
  if ((CONTACT_MEDIUM_TYPES as readonly unknown[]).includes(medium['@type'])) return medium['@type'] as ContactMediumType;
  const word = String(medium.mediumType).toLowerCase();
  if (word.includes('email')) return 'EmailContactMedium';
  if (word.includes('fax')) return 'FaxContactMedium';
  if (word.includes('phone') || word === 'mobile') return 'PhoneContactMedium';
  if (word.includes('social')) return 'SocialContactMedium';
  if (ADDRESS_WORDS.includes(word)) return 'GeographicAddressContactMedium';
  const byField = CONTACT_MEDIUM_TYPES.find((type) => MEDIUM_FIELDS[type].some((field) => characteristic[field] !== undefined));
  return byField ?? 'ContactMedium';
};

const MEDIUM_OWN = ['@type', '@baseType', '@schemaLocation', 'id', 'preferred', 'validFor'];

const contactMedium: ItemMapping = shownIf(ContactMedium, {
  show: (stored) => {
    if (typeof stored.characteristic !== 'object' || stored.characteristic === null) return undefined;
    const characteristic = stored.characteristic as Json;
    const type = mediumTypeOf(stored, characteristic);
    const own = Object.fromEntries(MEDIUM_OWN.map((name) => [name, stored[name]]));
    const fields = Object.fromEntries(MEDIUM_FIELDS[type].map((name) => [name, characteristic[name]]));
    return defined({ ...own, '@type': type, contactType: characteristic.contactType, ...fields });
  },
  take: (given) => {
    const type = given['@type'] as ContactMediumType;
    const own = Object.fromEntries(MEDIUM_OWN.map((name) => [name, given[name]]));
    const characteristic = Object.fromEntries(Object.entries(given).filter(([name]) => !MEDIUM_OWN.includes(name)));
    return defined({ ...own, mediumType: MEDIUM_TYPE[type] ?? 'Other', characteristic: defined(characteristic) });
  },
});

/** The kind of one value, as v5's typed characteristics name them. */
const kindOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? 'String'
    : typeof value === 'boolean'
      ? 'Boolean'
      : Number.isInteger(value)
        ? 'Integer'
        : typeof value === 'number'
          ? 'Number'
          : typeof value === 'object' && value !== null && !Array.isArray(value)
            ? 'Object'
            : undefined;

/** The v5 characteristic type of a value: typed by its kind (StringCharacteristic, IntegerArrayCharacteristic …), or the untyped Characteristic. */
const characteristicTypeOf = (value: unknown): string => {
  if (!Array.isArray(value)) {
    const kind = kindOf(value);
    return kind ? `${kind}Characteristic` : 'Characteristic';
  }
  const kinds = new Set(value.map(kindOf));
  const [kind] = kinds;
  return kinds.size === 1 && kind ? `${kind}ArrayCharacteristic` : 'Characteristic';
};

/** Whether a characteristic's value fits its `@type` (an Integer value fits Number too; untyped Characteristic and types v5 does not define take any). */
export const characteristicValueFits = (type: string, value: unknown): boolean => {
  const match = /^(String|Boolean|Integer|Number|Float|Object)(Array)?Characteristic$/.exec(type);
  if (!match) return true;
  const [, kind, array] = match;
  const fits = (v: unknown) => {
    const actual = kindOf(v);
    return actual === kind || (actual === 'Integer' && (kind === 'Number' || kind === 'Float')) || (actual === 'Number' && kind === 'Float');
  };
  if (value === undefined) return true;
  return array ? Array.isArray(value) && value.every(fits) : fits(value);
};

const characteristic: ItemMapping = shownIf(Characteristic, {
  show: (stored) =>
    typeof stored['@type'] === 'string' && stored['@type'].endsWith('Characteristic') && characteristicValueFits(stored['@type'], stored.value)
      ? stored
      : { ...stored, '@type': characteristicTypeOf(stored.value) },
  take: (given) => given,
});

const creditProfile: ItemMapping = shownIf(CreditProfile, {
  show: (stored) => ({ ...stored, '@type': stored['@type'] ?? 'CreditProfile' }),
  take: (given) => given,
});

/** v4's RelatedParty (a reference with its role) ↔ v5's RelatedPartyOrPartyRole (the role, wrapping the reference). */
const relatedParty: ItemMapping = shownIf(RelatedPartyOrPartyRole, {
  show: (stored) => {
    const { role, '@type': _type, '@baseType': _base, '@schemaLocation': _location, ...ref } = stored;
    return defined({
      '@type': 'RelatedPartyOrPartyRole',
      role,
      partyOrPartyRole: { ...ref, '@type': ref.partyId === undefined ? 'PartyRef' : 'PartyRoleRef' },
    });
  },
  take: (given) => {
    const { '@type': _type, ...ref } = given.partyOrPartyRole as Json;
    return defined({ ...ref, '@referredType': ref['@referredType'] ?? _type, role: given.role });
  },
});

const value = (stored: string): AttributeMapping => ({ stored, kind: 'value' });
const list = (stored: string, item: ItemMapping): AttributeMapping => ({ stored, kind: 'list', item });

export const v5: TmfGeneration = {
  name: 'v5',
  basePath: V5_BASE_PATH,
  aliasBasePaths: [V5_ALIAS_BASE_PATH],
  mappings: {
    name: value('name'),
    description: value('description'),
    role: value('role'),
    status: value('status'),
    statusReason: value('statusReason'),
    validFor: value('validFor'),
    engagedParty: { stored: 'engagedParty', kind: 'one', item: party },
    partyRoleSpecification: value('partyRoleSpecification'),
    account: list('account', reference('AccountRef')),
    agreement: list('agreement', reference('AgreementRef')),
    paymentMethod: list('paymentMethod', reference('PaymentMethodRef')),
    characteristic: list('characteristic', characteristic),
    contactMedium: list('contactMedium', contactMedium),
    creditProfile: list('creditProfile', creditProfile),
    relatedParty: list('relatedParty', relatedParty),
    '@baseType': value('@baseType'),
    '@schemaLocation': value('@schemaLocation'),
    '@type': value('@type'),
  },
  keptBySelection: ['id', 'href', '@type'],
  attributes: V5CustomerAttributes,
};
