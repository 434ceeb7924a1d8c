import { DeleteCommand, GetCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Person } from '../contracts/settings.ts';
import { directoryChanges } from '../core/people/directory.ts';
import type { Entity } from './ledger-records.ts';
import { keys } from './table.ts';

/**
 * The people directory in the ledger (functions/core/people/directory.ts): one item per person in one
 * small shared partition (`PEOPLE`), written from the stage's `people` settings by the sandbox at its
 * start and by `npm run people -- --stage <stage>` on AWS (scripts/sync-people.ts), read by the
 * functions that write to a person. Kept out of the functions' configuration: it grows with the team,
 * and names people.
 */
export class PeopleDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The person with this id, or undefined when the directory does not know them. */
  async get(personId: string): Promise<Person | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.person(personId) }));
    return Item && Person.parse(stripped(Item));
  }

  async list(): Promise<Person[]> {
    const people: Person[] = [];
    for await (const page of paginateQuery({ client: this.db }, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'PEOPLE' } })) {
      people.push(...(page.Items ?? []).map((item) => Person.parse(stripped(item))));
    }
    return people;
  }

  /** Make the directory the stage's: every listed person written, every one no longer listed removed. */
  async sync(listed: readonly Person[]): Promise<{ written: number; removed: string[] }> {
    const { put, remove } = directoryChanges(listed, await this.list());
    for (const person of put) await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.person(person.id), entity: 'person' satisfies Entity, ...person } }));
    for (const id of remove) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.person(id) }));
    return { written: put.length, removed: remove };
  }
}

function stripped({ pk: _pk, sk: _sk, entity: _entity, ...person }: Record<string, unknown>): unknown {
  return person;
}
