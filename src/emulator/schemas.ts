/**
 * `/openidm/config/managed`: the seeded objects' schemas, so editors can complete field names.
 * A small subset of AIC's realm user schema plus the `sunset` fields the example scan jobs use.
 */
import { MANAGED_OBJECT_NAMES } from './managed';

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

export function managedConfig(): Record<string, unknown> {
  return { _id: 'managed', objects: MANAGED_OBJECT_NAMES.map(userSchema) };
}
