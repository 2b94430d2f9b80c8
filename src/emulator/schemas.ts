/**
 * `/openidm/config/managed`: the seeded objects' schemas, so editors can complete field names.
 * A small subset of AIC's realm user schema plus the `sunset` fields the example scan jobs use.
 */
import { MANAGED_OBJECT_NAMES, ManagedObjectDefinition } from './managed';

function prop(type: string, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, title, viewable: true, searchable: true, userEditable: false, ...extra };
}

function userSchema(name: string): Record<string, unknown> {
  return {
    name,
    schema: {
      $schema: 'http://forgerock.org/json-schema#',
      type: 'object',
      title: name === 'user' ? 'User' : `${name.split('_')[0]} realm - User`,
      icon: 'fa-user',
      mat_icon: 'people',
      order: [
        '_id',
        'userName',
        'givenName',
        'sn',
        'mail',
        'accountStatus',
        'description',
        'sunset',
        'frIndexedMultivalued1',
      ],
      required: ['userName', 'givenName', 'sn', 'mail'],
      properties: {
        _id: prop('string', 'User ID', { searchable: false }),
        userName: prop('string', 'Username'),
        givenName: prop('string', 'First Name'),
        sn: prop('string', 'Last Name'),
        mail: prop('string', 'Email Address'),
        accountStatus: prop('string', 'Status', { enum: ['active', 'inactive'] }),
        description: prop('string', 'Description', { searchable: false }),
        sunset: {
          type: 'object',
          title: 'Sunset',
          description: 'Task-scanner state used by the example sunset job',
          properties: {
            date: prop('string', 'Sunset date (ISO 8601)'),
            'task-started': prop('string', 'Scan claimed at'),
            'task-completed': prop('string', 'Scan completed at'),
          },
        },
        frIndexedMultivalued1: prop('array', 'Generic Indexed Multivalue 1', { items: { type: 'string' } }),
      },
    },
  };
}

export function managedConfig(definitions: readonly ManagedObjectDefinition[] = []): Record<string, unknown> {
  const given = new Map(definitions.map((d) => [d.name, { name: d.name, schema: d.schema ?? {} }]));
  const seeded = MANAGED_OBJECT_NAMES.map((name) => given.get(name) ?? userSchema(name));
  const extra = [...given.values()].filter(
    (d) => !(MANAGED_OBJECT_NAMES as readonly string[]).includes(d.name),
  );
  return { _id: 'managed', objects: [...seeded, ...extra] };
}
