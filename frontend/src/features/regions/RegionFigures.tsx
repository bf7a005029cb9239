import type { RegionsAnalysis, ResultFile } from "../../api/types";
import { downloadUrl } from "../../lib/files";
import { formatNumber } from "../../lib/format";
import { PeoplePerSecondChart } from "../heatmap/PeoplePerSecondChart";

const seconds = (value: number | null) => (value === null ? "–" : `${formatNumber(value, 1)} s`);

/** Each zone's and line's figures as tables, occupancy charts per zone, and the CSV downloads. */
export function RegionFigures({ analysis, csvFiles }: { analysis: RegionsAnalysis; csvFiles: ResultFile[] }) {
  return (
    <div className="region-figures">
      {analysis.zones.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Zone figures (scrolls sideways)">
          <table aria-label="Zones">
            <thead>
              <tr>
                <th scope="col">Zone</th>
                <th scope="col">People</th>
                <th scope="col">Visits</th>
                <th scope="col">Person-seconds</th>
                <th scope="col">Dwell mean</th>
                <th scope="col">Median</th>
                <th scope="col">95th pct</th>
                <th scope="col">Longest</th>
                <th scope="col">Most inside</th>
                <th scope="col">Mean inside</th>
              </tr>
            </thead>
            <tbody>
              {analysis.zones.map((zone) => (
                <tr key={zone.name}>
                  <th scope="row">{zone.name}</th>
                  <td>{formatNumber(zone.people, 0)}</td>
                  <td>{formatNumber(zone.visits, 0)}</td>
                  <td>{formatNumber(zone.person_seconds, 1)}</td>
                  <td>{seconds(zone.dwell_s.mean)}</td>
                  <td>{seconds(zone.dwell_s.median)}</td>
                  <td>{seconds(zone.dwell_s.p95)}</td>
                  <td>{seconds(zone.dwell_s.max)}</td>
                  <td>{formatNumber(zone.occupancy_peak, 0)}</td>
                  <td>{formatNumber(zone.occupancy_mean, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
          <PeoplePerSecondChart values={zone.occupancy_per_second} what={`people inside ${zone.name}`} nobody={`Nobody entered ${zone.name}.`} />
        </section>
      ))}
    </div>
  );
}
