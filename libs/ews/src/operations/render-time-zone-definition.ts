import { formatLocalDateTime, type TimeZoneDefinition, type ZoneTransition } from '@app/time-zones';
import { escapeXmlAttribute, escapeXmlText } from '../xml/xml-escape';

/** Minutes -> xs:duration as Exchange writes it: 480 -> PT8H, -60 -> -PT1H, 330 -> PT5H30M. */
export function formatXsDurationMinutes(totalMinutes: number): string {
  const sign = totalMinutes < 0 ? '-' : '';
  const abs = Math.abs(totalMinutes);
  const hours = Math.floor(abs / 60);
  const minutes = abs % 60;
  return `${sign}PT${hours}H${minutes === 0 ? '' : `${minutes}M`}`;
}

function renderTarget(to: ZoneTransition['to']): string {
  return `<t:To Kind="${to.kind}">${escapeXmlText(to.id)}</t:To>`;
}

function renderTransition(transition: ZoneTransition): string {
  switch (transition.type) {
    case 'plain':
      return `<t:Transition>${renderTarget(transition.to)}</t:Transition>`;
    case 'absolute':
      return (
        `<t:AbsoluteDateTransition>${renderTarget(transition.to)}` +
        `<t:DateTime>${formatLocalDateTime(transition.dateTime)}</t:DateTime></t:AbsoluteDateTransition>`
      );
    case 'recurringDay':
      return (
        `<t:RecurringDayTransition>${renderTarget(transition.to)}` +
        `<t:TimeOffset>${formatXsDurationMinutes(transition.timeOffsetMinutes)}</t:TimeOffset>` +
        `<t:Month>${transition.month}</t:Month>` +
        `<t:DayOfWeek>${transition.dayOfWeek}</t:DayOfWeek>` +
        `<t:Occurrence>${transition.occurrence}</t:Occurrence></t:RecurringDayTransition>`
      );
    case 'recurringDate':
      return (
        `<t:RecurringDateTransition>${renderTarget(transition.to)}` +
        `<t:TimeOffset>${formatXsDurationMinutes(transition.timeOffsetMinutes)}</t:TimeOffset>` +
        `<t:Month>${transition.month}</t:Month>` +
        `<t:Day>${transition.day}</t:Day></t:RecurringDateTransition>`
      );
  }
}

/** t:TimeZoneDefinition with full data (GetServerTimeZones ReturnFullTimeZoneData=true). */
export function renderTimeZoneDefinition(definition: TimeZoneDefinition, full: boolean): string {
  const attributes =
    (definition.id === undefined ? '' : ` Id="${escapeXmlAttribute(definition.id)}"`) +
    (definition.name === undefined ? '' : ` Name="${escapeXmlAttribute(definition.name)}"`);
  if (!full) return `<t:TimeZoneDefinition${attributes}/>`;
  let xml = `<t:TimeZoneDefinition${attributes}>`;
  if (definition.periods !== undefined) {
    xml += '<t:Periods>';
    for (const period of definition.periods) {
      xml += `<t:Period Bias="${formatXsDurationMinutes(period.biasMinutes)}" Name="${escapeXmlAttribute(period.name)}" Id="${escapeXmlAttribute(period.id)}"/>`;
    }
    xml += '</t:Periods>';
  }
  if (definition.transitionsGroups !== undefined) {
    xml += '<t:TransitionsGroups>';
    for (const group of definition.transitionsGroups) {
      xml += `<t:TransitionsGroup Id="${escapeXmlAttribute(group.id)}">${group.transitions.map(renderTransition).join('')}</t:TransitionsGroup>`;
    }
    xml += '</t:TransitionsGroups>';
  }
  if (definition.transitions !== undefined) {
    xml += `<t:Transitions>${definition.transitions.map(renderTransition).join('')}</t:Transitions>`;
  }
  return xml + '</t:TimeZoneDefinition>';
}
