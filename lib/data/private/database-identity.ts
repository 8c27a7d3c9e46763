import { Token } from 'aws-cdk-lib';
import type { IDataLake } from '../data-lake';

/**
 * The Glue database of a lake zone as a name known at synth time, for `UniqueNames` claims: the
 * database name itself when the lake can tell it (a `DataLake` knows the names it creates), else
 * the lake's path and the zone (two lakes of one app never share a database name: `DataLake`
 * claims them).
 */
export function databaseIdentity(lake: IDataLake, zone: string): string {
  const name = lake.databaseName(zone);
  if (!Token.isUnresolved(name)) return name;
  const database = (lake as { database?: (z: string) => { databaseInput?: unknown } }).database?.(zone);
  const input = database?.databaseInput as { name?: unknown } | undefined;
  if (typeof input?.name === 'string' && !Token.isUnresolved(input.name)) return input.name;
  return `${lake.node.path}#${zone}`;
}
