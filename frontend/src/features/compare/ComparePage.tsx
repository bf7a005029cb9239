import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, errorMessage } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { Comparison, CompareView, HeatmapLegend, Job } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { Spinner } from "../../components/ui/Spinner";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { formatDateTime, formatNumber } from "../../lib/format";
import { HeatLegend } from "../../components/HeatLegend";
import { useJobList } from "../../hooks/useJobs";
import "./compare.css";

/** The most heatmap jobs offered in each list (the API's page limit). */
export const PICKABLE_JOBS = 200;
const UNIT = "person-s per s per 100×100 px";
const VIEWS: { view: CompareView; title: string }[] = [
  { view: "a", title: "A" },
  { view: "b", title: "B" },
  { view: "difference", title: "Difference (B − A)" },
];

const jobLabel = (job: Job) => `${job.input_name ?? "heatmap"} · ${formatDateTime(job.created_at)}`;

/** Two of the user's heatmap jobs side by side on one absolute scale: `/compare?a=<id>&b=<id>`. */
export function ComparePage() {
  useDocumentTitle("Compare heatmaps");
  const [search, setSearch] = useSearchParams();
  const a = search.get("a") ?? "";
  const b = search.get("b") ?? "";
  const jobs = useJobList({ kind: "heatmap", status: "succeeded", limit: PICKABLE_JOBS });
  const ready = !!a && !!b && a !== b;
  const comparison = useQuery({ queryKey: queryKeys.comparison(a, b), queryFn: () => api.compare.get(a, b), enabled: ready });

  const pick = (side: "a" | "b", id: string) => {
    const next = new URLSearchParams(search);
    if (id) next.set(side, id);
    else next.delete(side);
    setSearch(next, { replace: true });
  };

  return (
    <div className="page compare-page">
      <div className="page-head">
        <div>
          <h1>Compare heatmaps</h1>
          <p className="muted">Two of your heatmaps on one scale: heat per second of video, so videos of different lengths compare fairly.</p>
        </div>
        <div className="page-head__actions">
          <Link to="/?kind=heatmap" className="button button--secondary">
            Back to the history
          </Link>
        </div>
      </div>

      {jobs.isPending && <Spinner label="Loading your heatmaps…" />}
      {jobs.isError && <Alert>{errorMessage(jobs.error)}</Alert>}
      {jobs.data && (
        <div className="compare-page__pickers card">
          {(["a", "b"] as const).map((side) => (
            <label key={side} className="field">
              <span className="field__label">Heatmap {side.toUpperCase()}</span>
              <select value={side === "a" ? a : b} onChange={(event) => pick(side, event.target.value)}>
                <option value="">Choose a heatmap…</option>
                {jobs.data.items.map((job) => (
                  <option key={job.id} value={job.id}>
                    {jobLabel(job)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      {jobs.data && jobs.data.items.length < 2 && <Alert>Comparing needs two heatmaps that have finished: make another one first.</Alert>}
      {a && a === b && <Alert>Choose two different heatmaps.</Alert>}

      {ready && comparison.isPending && <Spinner label="Comparing…" />}
      {ready && comparison.isError && <Alert>{errorMessage(comparison.error)}</Alert>}
      {ready && comparison.data && <ComparisonView a={a} b={b} comparison={comparison.data} />}
    </div>
  );
}

const figure = (value: number, digits = 2) => formatNumber(value, digits);
const signed = (value: number, digits = 3) => `${value > 0 ? "+" : ""}${formatNumber(value, digits)}`;

function legendOf(colors: string[], low: number, high: number): HeatmapLegend {
  return { unit: UNIT, colormap: "", colors, ticks: [0, 0.5, 1].map((position) => ({ position, value: low + position * (high - low) })) };
}

function ComparisonView({ a, b, comparison }: { a: string; b: string; comparison: Comparison }) {
  const { scale_max: top } = comparison;
  const sides = [
    { name: "A", side: comparison.a },
    { name: "B", side: comparison.b },
  ];
  return (
    <>
      <div className="compare-page__table" role="region" aria-label="Figures table" tabIndex={0}>
        <table className="compare-page__figures" aria-label="Figures">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">Person-s</th>
              <th scope="col">Person-s per s</th>
              <th scope="col">People</th>
              <th scope="col">Seconds</th>
            </tr>
          </thead>
          <tbody>
            {sides.map(({ name, side }) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{figure(side.person_seconds, 1)}</td>
                <td>{figure(side.person_seconds_per_s, 3)}</td>
                <td>{side.people_unique}</td>
                <td>{figure(side.duration_s, 1)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">B − A</th>
              <td />
              <td data-testid="compare-difference">{signed(comparison.difference_person_seconds)}</td>
              <td />
              <td />
            </tr>
          </tbody>
        </table>
      </div>

      <div className="compare-page__views">
        {VIEWS.map(({ view, title }) => (
          <figure key={view} className="compare-page__view">
            <img src={api.compare.imageUrl(a, b, view)} alt={`${title}: heat per second on the shared scale`} loading="lazy" />
            <figcaption>{title}</figcaption>
          </figure>
        ))}
      </div>

      <HeatLegend
        testId="compare-legend"
        legend={legendOf(comparison.colors, 0, top)}
        caption={<>A and B share this scale, in {UNIT}: people in each 100×100 pixel square on average over the video.</>}
      />
      <HeatLegend
        testId="compare-difference-legend"
        legend={legendOf(comparison.difference_colors, -top, top)}
        caption={<>B − A on the same scale: red where B had more people per second, blue where it had fewer.</>}
      />

      {comparison.zones && comparison.zones.length > 0 && (
        <div className="compare-page__table" role="region" aria-label="Zones table" tabIndex={0}>
          <table className="compare-page__figures" aria-label="Zones">
            <thead>
              <tr>
                <th scope="col">Zone</th>
                <th scope="col">A, person-s</th>
                <th scope="col">B, person-s</th>
                <th scope="col">B − A, person-s per s</th>
              </tr>
            </thead>
            <tbody>
              {comparison.zones.map((zone) => (
                <tr key={zone.name}>
                  <th scope="row">{zone.name}</th>
                  <td>{figure(zone.a_person_seconds, 1)}</td>
                  <td>{figure(zone.b_person_seconds, 1)}</td>
                  <td>{signed(zone.difference_person_seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
