import { useId, useState } from "react";
import type { RegionsAnalysis, ResultFile } from "../../../api/types";
import { downloadUrl } from "../../../lib/files";
import { formatNumber } from "../../../lib/format";
import { PeoplePerSecondChart } from "../PeoplePerSecondChart";

type ZoneFigures = RegionsAnalysis["zones"][number];

const seconds = (value: number | null) => (value === null ? "–" : `${formatNumber(value, 1)} s`);

/** A column of the zone table: its header (with its unit) and each zone's cell. `main`: shown at phone width. */
interface ZoneColumn {
  header: string;
  cell: (zone: ZoneFigures) => string;
  main?: boolean;
}

const ZONE_COLUMNS: ZoneColumn[] = [
  { header: "People", cell: (z) => formatNumber(z.people, 0), main: true },
  { header: "Visits", cell: (z) => formatNumber(z.visits, 0) },
  { header: "Time inside (person-s)", cell: (z) => formatNumber(z.person_seconds, 1), main: true },
  { header: "Dwell mean", cell: (z) => seconds(z.dwell_s.mean) },
  { header: "Median", cell: (z) => seconds(z.dwell_s.median) },
  { header: "95th pct", cell: (z) => seconds(z.dwell_s.p95) },
  { header: "Longest", cell: (z) => seconds(z.dwell_s.max) },
  { header: "Most at once (people)", cell: (z) => formatNumber(z.occupancy_peak, 0) },
  { header: "On average (people)", cell: (z) => formatNumber(z.occupancy_mean, 2) },
];

/** A zone's row; at phone width only the main columns show, and "More" opens the rest below it. */
function ZoneRow({ zone }: { zone: ZoneFigures }) {
  const [open, setOpen] = useState(false);
  const moreId = useId();
  return (
    <>
      <tr>
        <th scope="row">
          {zone.name}
          <button type="button" className="link-button zone-more__toggle" aria-expanded={open} aria-controls={moreId} onClick={() => setOpen(!open)}>
            {open ? "Less" : "More"}
          </button>
        </th>
        {ZONE_COLUMNS.map((column) => (
          <td key={column.header} className={column.main ? undefined : "zone-col--extra"}>
            {column.cell(zone)}
          </td>
        ))}
      </tr>
      <tr id={moreId} className="zone-more" hidden={!open}>
        <td colSpan={ZONE_COLUMNS.length + 1}>
          <dl className="zone-more__list">
            {ZONE_COLUMNS.filter((column) => !column.main).map((column) => (
              <div key={column.header}>
                <dt>{column.header}</dt>
                <dd>{column.cell(zone)}</dd>
              </div>
            ))}
          </dl>
        </td>
      </tr>
    </>
  );
}

/** Each zone's and line's figures as tables, occupancy charts per zone, and the CSV downloads. */
export function RegionFigures({ analysis, csvFiles }: { analysis: RegionsAnalysis; csvFiles: ResultFile[] }) {
  return (
    <div className="region-figures">
      {analysis.zones.length > 0 && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Zone figures">
            <table aria-label="Zones" className="zone-table">
              <thead>
                <tr>
                  <th scope="col">Zone</th>
                  {ZONE_COLUMNS.map((column) => (
                    <th key={column.header} scope="col" className={column.main ? undefined : "zone-col--extra"}>
                      {column.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {analysis.zones.map((zone) => (
                  <ZoneRow key={zone.name} zone={zone} />
                ))}
              </tbody>
            </table>
          </div>
          <dl className="region-figures__help small">
            <dt>Time inside (person-s)</dt>
            <dd>everyone's time in the zone added up: two people for 3 s make 6 person-s.</dd>
            <dt>Most at once</dt>
            <dd>the most people inside in one analysed frame.</dd>
            <dt>On average</dt>
            <dd>people inside over the whole video: time inside ÷ the video's length.</dd>
          </dl>
        </>
      )}
      {analysis.lines.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Line figures">
          <table aria-label="Lines">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">
                  In <span aria-hidden="true">➜</span> <span className="muted small">(along the arrow)</span>
                </th>
                <th scope="col">Out</th>
              </tr>
            </thead>
            <tbody>
              {analysis.lines.map((line) => (
                <tr key={line.name}>
                  <th scope="row">{line.name}</th>
                  <td>{formatNumber(line.in, 0)}</td>
                  <td>{formatNumber(line.out, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        Measured at the people's {analysis.anchor === "feet" ? "feet" : "box centres"} in {formatNumber(analysis.computed_ms, 0)} ms. A visit is a stay inside a
        zone; gaps of up to 1 s are bridged.
      </p>
      {csvFiles.length > 0 && (
        <p className="region-figures__downloads">
          {csvFiles.map((file) => (
            <a key={file.name} className="button button--secondary button--small" href={downloadUrl(file.url)} download={file.name}>
              Download {file.name}
            </a>
          ))}
        </p>
      )}
      {analysis.zones.map((zone) => (
        <section key={zone.name} aria-label={`Occupancy of ${zone.name}`}>
          <h3 className="region-figures__chart-title">{zone.name}: people inside, second by second</h3>
          <PeoplePerSecondChart
            values={zone.occupancy_per_second}
            peak={zone.occupancy_peak}
            mean={zone.occupancy_mean}
            what={`people inside ${zone.name}`}
            nobody={`Nobody entered ${zone.name}.`}
          />
        </section>
      ))}
    </div>
  );
}
