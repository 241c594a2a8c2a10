// Reads an iCalendar document from stdin with ical.js and prints its events and todos as JSON.
// Times are converted with the calendar's own VTIMEZONEs (registered first), as a client would.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const root = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const items = [];
for (const component of root.getAllSubcomponents()) {
  if (component.name !== "vevent" && component.name !== "vtodo") continue;
  const start = component.getFirstProperty("dtstart");
  const due = component.getFirstProperty("due");
  const time = (start || due).getFirstValue();
  items.push({
    type: component.name,
    uid: component.getFirstPropertyValue("uid"),
    sequence: component.getFirstPropertyValue("sequence"),
    status: component.getFirstPropertyValue("status"),
    summary: component.getFirstPropertyValue("summary"),
    location: component.getFirstPropertyValue("location"),
    description: component.getFirstPropertyValue("description"),
    tzid: (start || due).getParameter("tzid") || null,
    isDate: time.isDate,
    local: time.toString(),
    utc: time.isDate ? null : time.toUnixTime(),
  });
}
process.stdout.write(JSON.stringify({
  name: root.getFirstPropertyValue("x-wr-calname"),
  timezones: root.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid")),
  items,
}));
