import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, makeJob, requestsOf } from "../../test/fixtures";
import { renderWithClient } from "../../test/render";
import { JobActions } from "./JobActions";

describe("JobActions", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => vi.stubGlobal("fetch", fetchMock));
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });

  it("deletes a finished job only after confirmation", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    const onDeleted = vi.fn();
    renderWithClient(<JobActions job={makeJob({ id: "j9", input_name: "hall.mp4" })} onDeleted={onDeleted} />);
    expect(screen.queryByRole("button", { name: /Cancel job/ })).not.toBeInTheDocument();
    const u = userEvent.setup();

    await u.click(screen.getByRole("button", { name: "Delete job hall.mp4" }));
    await u.click(screen.getByRole("button", { name: "Cancel" }));
    expect(fetchMock).not.toHaveBeenCalled();

    await u.click(screen.getByRole("button", { name: "Delete job hall.mp4" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("hall.mp4");
    await u.click(screen.getByRole("button", { name: "Delete job" }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(requestsOf(fetchMock)).toEqual([{ method: "DELETE", path: "/api/jobs/j9", credentials: "include" }]);
  });

  it("cancels a running job, and shows why when the server says no", async () => {
    fetchMock.mockResolvedValue(jsonResponse(409, { detail: "job already finished" }));
    renderWithClient(<JobActions job={makeJob({ id: "j3", status: "running", input_name: "lobby.mp4" })} />);
    expect(screen.queryByRole("button", { name: /Delete/ })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Cancel job lobby.mp4" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Job already finished.");
    expect(requestsOf(fetchMock)).toEqual([{ method: "POST", path: "/api/jobs/j3/cancel", credentials: "include" }]);
  });
});
