import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DayOfWeek, TimeZoneDefinition, ZoneTransition } from '../src/time-zone-types';
import { parseXsDurationMinutes } from '../src/xs-duration';

/**
 * Full TimeZoneDefinitions shaped like the ones the .NET EWS Managed API puts in the SOAP
 * header (fixtures/ews/managed-api-full-definition.xml): xs:duration biases such as
 * "P0DT8H0M0.0S", period ids like "Dlt/2007", Occurrence -1 for "last".
 * Spec support only (not part of the relay).
 */

export const FIXTURES_DIR = join(__dirname, '../../../test/fixtures/ews');

function minutes(duration: string): number {
  const value = parseXsDurationMinutes(duration);
  if (value === undefined) throw new Error(`bad duration ${duration}`);
  return value;
}

/**
 * The Pacific definition in managed-api-full-definition.xml, read from the fixture itself with
 * regular expressions (the XML parser is another module's job), so the test runs on the real
 * client's data.
 */
export function pacificDefinitionFromFixture(): TimeZoneDefinition {
  const xml = readFileSync(join(FIXTURES_DIR, 'managed-api-full-definition.xml'), 'utf8');
  const definition = /<t:TimeZoneDefinition Name="([^"]*)" Id="([^"]*)">/.exec(xml);
  if (definition === null) throw new Error('fixture has no TimeZoneDefinition');
  const periods = [
    ...xml.matchAll(/<t:Period Bias="([^"]+)" Name="([^"]+)" Id="([^"]+)" \/>/g),
  ].map(([, bias, name, id]) => ({ id, name, biasMinutes: minutes(bias) }));
  const recurring = [
    ...xml.matchAll(
      /<t:RecurringDayTransition><t:To Kind="Period">([^<]+)<\/t:To><t:TimeOffset>([^<]+)<\/t:TimeOffset><t:Month>(\d+)<\/t:Month><t:DayOfWeek>(\w+)<\/t:DayOfWeek><t:Occurrence>(-?\d+)<\/t:Occurrence><\/t:RecurringDayTransition>/g,
    ),
  ].map(([, to, offset, month, dayOfWeek, occurrence]): ZoneTransition => ({
    type: 'recurringDay',
    to: { kind: 'Period', id: to },
    timeOffsetMinutes: minutes(offset),
    month: Number(month),
    dayOfWeek: dayOfWeek as DayOfWeek,
    occurrence: Number(occurrence),
  }));
  if (periods.length !== 2 || recurring.length !== 2) throw new Error('fixture changed shape');
  return {
    name: definition[1].replace('&amp;', '&'),
    id: definition[2],
    periods,
    transitionsGroups: [{ id: '0', transitions: recurring }],
    transitions: [{ type: 'plain', to: { kind: 'Group', id: '0' } }],
  };
}

interface RuleSketch {
  readonly offset: string;
  readonly month: number;
  readonly occurrence: number;
}

/** A one-group definition as the Managed API writes it for a zone with DST. */
export function managedApiDefinition(options: {
  readonly id: string;
  readonly standardBias: string;
  readonly daylightBias: string;
  readonly toDaylight: RuleSketch;
  readonly toStandard: RuleSketch;
}): TimeZoneDefinition {
  const transition = (to: string, rule: RuleSketch): ZoneTransition => ({
    type: 'recurringDay',
    to: { kind: 'Period', id: to },
    timeOffsetMinutes: minutes(rule.offset),
    month: rule.month,
    dayOfWeek: 'Sunday',
    occurrence: rule.occurrence,
  });
  return {
    id: options.id,
    periods: [
      { id: 'Std', name: 'Standard', biasMinutes: minutes(options.standardBias) },
      { id: 'Dlt/2008', name: 'Daylight', biasMinutes: minutes(options.daylightBias) },
    ],
    transitionsGroups: [
      {
        id: '0',
        transitions: [
          transition('Dlt/2008', options.toDaylight),
          transition('Std', options.toStandard),
        ],
      },
    ],
    transitions: [{ type: 'plain', to: { kind: 'Group', id: '0' } }],
  };
}

export const W_EUROPE_DEFINITION = managedApiDefinition({
  id: 'W. Europe Standard Time',
  standardBias: '-P0DT1H0M0.0S',
  daylightBias: '-P0DT2H0M0.0S',
  toDaylight: { offset: 'P0DT2H0M0.0S', month: 3, occurrence: -1 },
  toStandard: { offset: 'P0DT3H0M0.0S', month: 10, occurrence: -1 },
});

export const AUS_EASTERN_DEFINITION = managedApiDefinition({
  id: 'AUS Eastern Standard Time',
  standardBias: '-P0DT10H0M0.0S',
  daylightBias: '-P0DT11H0M0.0S',
  toDaylight: { offset: 'P0DT2H0M0.0S', month: 10, occurrence: 1 },
  toStandard: { offset: 'P0DT3H0M0.0S', month: 4, occurrence: 1 },
});
