/** `bian-crm` → `BianCrm`: kebab-case names as CloudFormation logical ids and alarm names. */
export const pascalCase = (name: string): string => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
