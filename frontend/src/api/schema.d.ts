// Generated from the backend's OpenAPI schema by frontend/scripts/api-types.mjs: do not edit.
// Regenerate after changing the API: `make api-types` (or `npm run api-types` in frontend/).

export interface paths {
  "/api/auth/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Login
     * @description Check the credentials and set the `access_token` cookie (HttpOnly, SameSite=Lax).
     */
    post: operations["auth-login"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Logout
     * @description Clear the session cookie and revoke its token, so a copy of it no longer works either.
     */
    post: operations["auth-logout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Me
     * @description The logged-in user.
     */
    get: operations["auth-me"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/register": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Register
     * @description Create an account: anyone while `REGISTRATION` is `open`, with an unused, unexpired invitation token
     *     (`invite`, used up by the account it creates) while it is `invite`, nobody while it is `closed`.
     */
    post: operations["auth-register"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/registration": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Registration
     * @description Whether anyone may create an account (`open`), only with an invitation link (`invite`), or nobody (`closed`).
     */
    get: operations["auth-registration"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/webhook-secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Webhook Secret
     * @description The secret your webhooks are signed with (Standard Webhooks), made on the first call.
     */
    get: operations["auth-webhook_secret"];
    put?: never;
    /**
     * Rotate Webhook Secret
     * @description A new webhook secret: every message from now on (retries included) is signed with it.
     */
    post: operations["auth-rotate_webhook_secret"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/compare": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Comparison
     * @description Jobs `a` and `b` side by side (422 when their frames differ in size), each drawn with its own options:
     *     their person-seconds, people and durations, the top of the shared scale of their heat per second of video,
     *     b - a per second, and the delta of each zone named alike in both jobs' regions.
     */
    get: operations["compare-get_comparison"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/compare/image": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Comparison Image
     * @description A PNG on the shared scale (`scale_max` of `GET /api/compare`): `a` or `b`'s heat per second over its
     *     background, or `difference` (b - a) blue through white to red over b's background in grey; legend in
     *     person-s per s per 100x100 px.
     */
    get: operations["compare-get_comparison_image"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Health
     * @description Database, broker, and how many workers answered a ping (asked at most every 5 s); 503 naming the failing
     *     part.
     */
    get: operations["health-health"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Jobs
     * @description The user's jobs, newest first.
     */
    get: operations["jobs-list_jobs"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Job
     * @description One job.
     */
    get: operations["jobs-get_job"];
    put?: never;
    post?: never;
    /**
     * Delete Job
     * @description Delete the job and every file it has stored (a running job is stopped).
     */
    delete: operations["jobs-delete_job"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Archive Job
     * @description Every result file of the job as one streamed ZIP.
     */
    get: operations["jobs-archive_job"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/calibration": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Calibration
     * @description The figures of the calibration last set with PUT.
     */
    get: operations["jobs-get_calibration"];
    /**
     * Put Calibration
     * @description Map frame pixels to floor metres with a homography fitted to 4-20 point pairs (422 when they are degenerate
     *     or do not pair up), measure walking speeds from the stored tracks' foot points, and write `floor_heatmap.npy`
     *     (person-seconds per m² on `cell_m` cells), `floor_heatmap.png` and `calibration.json`; `heatmap.png` and
     *     `legend.json` are redrawn with their legend in person-seconds per m². Zones of the job's regions get their
     *     `area_m2`.
     */
    put: operations["jobs-put_calibration"];
    post?: never;
    /**
     * Delete Calibration
     * @description Remove the calibration and its files (the heatmap's legend is per 100×100 px again); zones of the job's
     *     regions lose their `area_m2`.
     */
    delete: operations["jobs-delete_calibration"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/cancel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel Job
     * @description Cancel a queued or running job; a running task stops at its next progress step.
     */
    post: operations["jobs-cancel_job"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/files/{name}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get File
     * @description One result file. Images open inline unless `download=true`. With `STORAGE=s3` the answer is a redirect (302)
     *     to a presigned URL of the file that lives `S3_URL_EXPIRES_SECONDS`: its bytes come from the bucket.
     */
    get: operations["jobs-get_file"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/items": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Items
     * @description The inputs of a depth job, each with its status, error and result files.
     */
    get: operations["jobs-get_items"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/regions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Regions
     * @description The figures of the regions last set with PUT (the job's `regions.json`).
     */
    get: operations["jobs-get_regions"];
    /**
     * Put Regions
     * @description Measure zones (people, visits, dwell time, occupancy) and lines (crossings in and out) over the job's
     *     stored tracks, store them with the job, and write `regions.json`, `zones.csv` and `lines.csv`.
     */
    put: operations["jobs-put_regions"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/{job_id}/render": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Render Job
     * @description Redraw a heatmap job's images from its stored tracks with other options (no detection re-run), and
     *     its footfall regions' files when it has regions (their figures follow the anchor).
     */
    post: operations["jobs-render_job"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Archive All
     * @description Every result file of your finished jobs of one kind, as one streamed ZIP (a folder per job).
     */
    get: operations["jobs-archive_all"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/depth": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create Depth Job
     * @description Queue depth maps for one or more images. Near is bright in the colour preview; the 16-bit PNG runs
     *     linearly from 0 (nearest, `min_m`) to 65535 (farthest, `max_m`), the range each `<stem>_depth.json` states.
     */
    post: operations["jobs-create_depth_job"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Job Events
     * @description Server-sent events: one `job` event (a Job as JSON) per status or progress change of your jobs. The stream
     *     ends when the login expires, logs out or its account is disabled; at most `MAX_EVENT_STREAMS_PER_USER` are
     *     open at once per user, `MAX_EVENT_STREAMS_TOTAL` in all.
     */
    get: operations["jobs-job_events"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/jobs/heatmap": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create Heatmap Job
     * @description Queue a heatmap of where people moved in a video (person-seconds per pixel).
     */
    post: operations["jobs-create_heatmap_job"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/stats": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Stats
     * @description How many of your jobs are in each status.
     */
    get: operations["jobs-stats"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Tokens
     * @description Your API tokens, newest first, without the tokens themselves.
     */
    get: operations["tokens-list_tokens"];
    put?: never;
    /**
     * Create Token
     * @description A new API token, valid `expires_days` days. The answer is the only time the token is shown: only its
     *     hash is stored. Send it as `Authorization: Bearer <token>`.
     */
    post: operations["tokens-create_token"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/tokens/{token_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke Token
     * @description Revoke a token: its next request is a 401, and the event streams it opened end.
     */
    delete: operations["tokens-revoke_token"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Metrics
     * @description Prometheus metrics: request latency, jobs by kind and status, queue depth, job durations.
     */
    get: operations["operations-metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** ApiTokenCreate */
    ApiTokenCreate: {
      /**
       * Expires Days
       * @default 90
       */
      expires_days: number;
      /** Name */
      name: string;
    };
    /** ApiTokenCreated */
    ApiTokenCreated: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /**
       * Expires At
       * Format: date-time
       */
      expires_at: string;
      /**
       * Id
       * Format: uuid
       */
      id: string;
      /** Name */
      name: string;
      /**
       * Token
       * @description the token itself, shown this once: send it as `Authorization: Bearer <token>`
       */
      token: string;
    };
    /** ApiTokenPublic */
    ApiTokenPublic: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /**
       * Expires At
       * Format: date-time
       */
      expires_at: string;
      /**
       * Id
       * Format: uuid
       */
      id: string;
      /** Last Used At */
      last_used_at: string | null;
      /** Name */
      name: string;
    };
    /** ApiTokensPage */
    ApiTokensPage: {
      /** Items */
      items: components["schemas"]["ApiTokenPublic"][];
    };
    /** Body_jobs-create_depth_job */
    "Body_jobs-create_depth_job": {
      /**
       * Colormap
       * @description colour preview (gray: white near, black far)
       * @default magma
       * @enum {string}
       */
      colormap: "magma" | "inferno" | "viridis" | "plasma" | "turbo" | "jet" | "gray";
      /**
       * Files
       * @description images (jpg, jpeg, png, webp, bmp, tiff) or ZIPs of them
       */
      files: string[];
      /**
       * Fov Deg
       * @description horizontal field of view in degrees, for photos whose EXIF gives no focal length
       * @default 60
       */
      fov_deg: number;
      /**
       * Normalization
       * @description image: each image's preview and 16-bit PNG span its own depth range; job: all of the job's share one range (the job's min and max)
       * @default image
       * @enum {string}
       */
      normalization: "image" | "job";
      /**
       * Point Cloud
       * @description also write `<stem>_points.ply` (binary PLY, metres)
       * @default false
       */
      point_cloud: boolean;
      /**
       * Webhook Url
       * @description an http(s) URL told when the job ends: a `job.finished` message signed per Standard Webhooks
       */
      webhook_url?: string;
    };
    /** Body_jobs-create_heatmap_job */
    "Body_jobs-create_heatmap_job": {
      /**
       * Anchor
       * @description feet: bottom-centre of the box
       * @default feet
       * @enum {string}
       */
      anchor: "feet" | "center" | "box";
      /**
       * Blur People
       * @description blur people's boxes in the background and every frame image drawn over it
       * @default true
       */
      blur_people: boolean;
      /**
       * Colormap
       * @default turbo
       * @enum {string}
       */
      colormap: "turbo" | "jet" | "magma" | "inferno" | "plasma" | "viridis" | "cividis" | "hot" | "parula" | "twilight";
      /**
       * Conf
       * @description detection confidence
       * @default 0.25
       */
      conf: number;
      /**
       * File
       * Format: binary
       * @description a video: mp4, avi, mov, mkv or webm
       */
      file: string;
      /**
       * Keep Input
       * @description keep the uploaded video with the results (false: delete it once analysed)
       * @default true
       */
      keep_input: boolean;
      /**
       * Mode
       * @description movement: leave out people standing still
       * @default all
       * @enum {string}
       */
      mode: "all" | "movement";
      /**
       * Motion Gate
       * @description run the detector only on frames that moved; still ones reuse its last detections
       * @default true
       */
      motion_gate: boolean;
      /**
       * Normalization
       * @default p99
       * @enum {string}
       */
      normalization: "max" | "p99" | "log";
      /**
       * Opacity
       * @description blend weight of the heat colours, redrawn on the server
       * @default 0.6
       */
      opacity: number;
      /**
       * Radius
       * @description Gaussian sigma as a multiple of the person's box width
       * @default 0.3
       */
      radius: number;
      /**
       * Recap
       * @description write recap.mp4: the heat accumulating, at most 30 s
       * @default true
       */
      recap: boolean;
      /**
       * Sample Fps
       * @description frames analysed per second of video
       * @default 5
       */
      sample_fps: number;
      /**
       * Stride
       * @description analyse every n-th frame instead of sample_fps
       */
      stride?: number;
      /**
       * T End
       * @description seconds; only samples before here
       */
      t_end?: number;
      /**
       * T Start
       * @description seconds; only samples from here
       */
      t_start?: number;
      /**
       * Webhook Url
       * @description an http(s) URL told when the job ends: a `job.finished` message signed per Standard Webhooks
       */
      webhook_url?: string;
    };
    /**
     * Calibration
     * @description `PUT /api/jobs/{id}/calibration`: the same floor points in the frame and on the floor.
     */
    Calibration: {
      /**
       * Cell M
       * @description side of a floor_heatmap cell, metres
       * @default 0.25
       */
      cell_m: number;
      /**
       * Image Points
       * @description [x, y] frame pixels, origin top-left
       */
      image_points: [number, number][];
      /**
       * World Points
       * @description [X, Y] metres on the floor, the same points in order
       */
      world_points: [number, number][];
    };
    /**
     * CalibrationAnswer
     * @description What a calibration measures (`calibration.json` keeps it with the points).
     */
    CalibrationAnswer: {
      /**
       * Area M2
       * @description area of the convex hull of the world points: the calibrated area
       */
      area_m2: number;
      /**
       * Distance M
       * @description path length walked by the tracks seen for at least 1 s, metres
       */
      distance_m: number;
      /**
       * Reprojection Error Px
       * @description mean distance between the image points and the world points mapped back
       */
      reprojection_error_px: number;
      speed_mps: components["schemas"]["Speed"];
    };
    /** CompareSide */
    CompareSide: {
      /**
       * Duration S
       * @description seconds of video its heat covers (the job's time window)
       */
      duration_s: number;
      /**
       * People Unique
       * @description distinct tracks in the job's time window
       */
      people_unique: number;
      /**
       * Person Seconds
       * @description the job's whole heat: Σ heatmap, person-seconds
       */
      person_seconds: number;
      /**
       * Person Seconds Per S
       * @description person_seconds / duration_s: people in view on average
       */
      person_seconds_per_s: number;
    };
    /**
     * Comparison
     * @description Two heatmap jobs on one scale; `difference` is always b - a, each job's heat divided by its duration.
     */
    Comparison: {
      a: components["schemas"]["CompareSide"];
      b: components["schemas"]["CompareSide"];
      /**
       * Colors
       * @description the a and b views' colours, "#rrggbb" evenly from 0 to scale_max
       */
      colors: string[];
      /**
       * Difference Colors
       * @description the difference view's colours, "#rrggbb" evenly from -scale_max (blue) to scale_max (red)
       */
      difference_colors: string[];
      /**
       * Difference Person Seconds
       * @description b - a per second of video: b.person_seconds_per_s - a.person_seconds_per_s
       */
      difference_person_seconds: number;
      /**
       * Scale Max
       * @description top of the shared colour scale: person-s per s per 100x100 px
       */
      scale_max: number;
      /**
       * Zones
       * @description zones of the same name in both jobs' regions (null unless both have regions)
       */
      zones?: components["schemas"]["ZoneDelta"][] | null;
    };
    /** Credentials */
    Credentials: {
      /**
       * Email
       * Format: email
       */
      email: string;
      /** Password */
      password: string;
    };
    /**
     * DeliveryStatus
     * @enum {string}
     */
    DeliveryStatus: "pending" | "delivered" | "failed";
    /**
     * DepthJobPublic
     * @description A depth job.
     */
    DepthJobPublic: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Error */
      error: string | null;
      /**
       * Eta S
       * @description estimated seconds left in the current stage, once a tenth of it is done
       */
      eta_s: number | null;
      /** Finished At */
      finished_at: string | null;
      /**
       * Id
       * Format: uuid
       */
      id: string;
      /** Input Name */
      input_name: string;
      /** Items Done */
      items_done: number;
      /** Items Failed */
      items_failed: number;
      /** Items Total */
      items_total: number;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: "depth";
      /**
       * Params
       * @description the processing options actually used (after defaults)
       */
      params: components["schemas"]["DepthOptions"];
      /** Processing Ms */
      processing_ms: number | null;
      /** Progress */
      progress: number;
      /** Results */
      results: components["schemas"]["ResultFile"][];
      /** @description what a running job is doing now; null when it is not running */
      stage: components["schemas"]["JobStage"] | null;
      /** Started At */
      started_at: string | null;
      status: components["schemas"]["JobStatus"];
      /**
       * Summary
       * @description `DepthSummary`, with the fields the job has got to
       */
      summary: components["schemas"]["DepthSummary"];
      /** Webhook Deliveries */
      webhook_deliveries: components["schemas"]["WebhookDeliveryPublic"][];
      /** Webhook Url */
      webhook_url: string | null;
    };
    /**
     * DepthOptions
     * @description Options of a depth job, sent as multipart form fields and stored as the job's `params`.
     */
    DepthOptions: {
      /**
       * Colormap
       * @description colour preview (gray: white near, black far)
       * @default magma
       * @enum {string}
       */
      colormap: "magma" | "inferno" | "viridis" | "plasma" | "turbo" | "jet" | "gray";
      /**
       * Fov Deg
       * @description horizontal field of view in degrees, for photos whose EXIF gives no focal length
       * @default 60
       */
      fov_deg: number;
      /**
       * Normalization
       * @description image: each image's preview and 16-bit PNG span its own depth range; job: all of the job's share one range (the job's min and max)
       * @default image
       * @enum {string}
       */
      normalization: "image" | "job";
      /**
       * Point Cloud
       * @description also write `<stem>_points.ply` (binary PLY, metres)
       * @default false
       */
      point_cloud: boolean;
    };
    /**
     * DepthSummary
     * @description A depth job's summary; fields appear as the job gets to them (dump with `exclude_unset`).
     */
    DepthSummary: {
      /**
       * Backend
       * @description the runtime that ran the model: torch, openvino (openvino-int8: its INT8 copy), onnx or tensorrt
       * @default
       */
      backend: string;
      /**
       * Device
       * @default
       */
      device: string;
      /**
       * Images
       * @description images that got a depth map
       * @default 0
       */
      images: number;
      /**
       * Imgsz
       * @description inference size (pixels, long side)
       */
      imgsz?: number | null;
      /** Max Depth */
      max_depth?: number | null;
      /** Min Depth */
      min_depth?: number | null;
      /**
       * Model
       * @default
       */
      model: string;
      /**
       * Normalization
       * @default image
       * @enum {string}
       */
      normalization: "image" | "job";
      /**
       * Per Image
       * @description each image's depth in metres, in upload order
       * @default []
       */
      per_image: components["schemas"]["ImageDepth"][];
      /** @description with `job` normalization: the range all images share */
      png16?: components["schemas"]["Png16Range"] | null;
      /**
       * Skipped
       * @default []
       */
      skipped: components["schemas"]["SkippedInput"][];
      /**
       * Timings S
       * @default {}
       */
      timings_s: {
        [key: string]: number;
      };
      /**
       * Weights Sha256
       * @description of the weights file (null when none was found)
       * @default
       */
      weights_sha256: string | null;
    };
    /**
     * DwellStats
     * @description Seconds per visit; null when the zone had no visit.
     */
    DwellStats: {
      /** Max */
      max: number | null;
      /** Mean */
      mean: number | null;
      /** Median */
      median: number | null;
      /** P95 */
      p95: number | null;
    };
    /**
     * ErrorMessage
     * @description Every error but a validation error (422) has this shape.
     */
    ErrorMessage: {
      /** Detail */
      detail: string;
    };
    /** Health */
    Health: {
      /** Broker */
      broker: string;
      /** Database */
      database: string;
      /**
       * Status
       * @enum {string}
       */
      status: "ok" | "degraded";
      /** Workers */
      workers: number;
    };
    /**
     * HeatmapJobPublic
     * @description A heatmap job.
     */
    HeatmapJobPublic: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Error */
      error: string | null;
      /**
       * Eta S
       * @description estimated seconds left in the current stage, once a tenth of it is done
       */
      eta_s: number | null;
      /** Finished At */
      finished_at: string | null;
      /**
       * Id
       * Format: uuid
       */
      id: string;
      /** Input Name */
      input_name: string;
      /** Items Done */
      items_done: number;
      /** Items Failed */
      items_failed: number;
      /** Items Total */
      items_total: number;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: "heatmap";
      /**
       * Params
       * @description the processing options actually used (after defaults)
       */
      params: components["schemas"]["HeatmapOptions"];
      /** Processing Ms */
      processing_ms: number | null;
      /** Progress */
      progress: number;
      /** Results */
      results: components["schemas"]["ResultFile"][];
      /** @description what a running job is doing now; null when it is not running */
      stage: components["schemas"]["JobStage"] | null;
      /** Started At */
      started_at: string | null;
      status: components["schemas"]["JobStatus"];
      /**
       * Summary
       * @description the video's probe (`VideoSummary`) until the job succeeds, then `HeatmapSummary`
       */
      summary: components["schemas"]["HeatmapSummary"] | components["schemas"]["VideoSummary"];
      /** Webhook Deliveries */
      webhook_deliveries: components["schemas"]["WebhookDeliveryPublic"][];
      /** Webhook Url */
      webhook_url: string | null;
    };
    /**
     * HeatmapOptions
     * @description Options of a heatmap job, sent as multipart form fields and stored as the job's `params`.
     *
     *     `ANALYSIS_FIELDS` decide how people are found; every other field only decides how the heatmap is drawn
     *     from the stored tracks, so changing it never re-runs detection (see `RenderUpdate`).
     */
    HeatmapOptions: {
      /**
       * Anchor
       * @description feet: bottom-centre of the box
       * @default feet
       * @enum {string}
       */
      anchor: "feet" | "center" | "box";
      /**
       * Blur People
       * @description blur people's boxes in the background and every frame image drawn over it
       * @default true
       */
      blur_people: boolean;
      /**
       * Colormap
       * @default turbo
       * @enum {string}
       */
      colormap: "turbo" | "jet" | "magma" | "inferno" | "plasma" | "viridis" | "cividis" | "hot" | "parula" | "twilight";
      /**
       * Conf
       * @description detection confidence
       * @default 0.25
       */
      conf: number;
      /**
       * Keep Input
       * @description keep the uploaded video with the results (false: delete it once analysed)
       * @default true
       */
      keep_input: boolean;
      /**
       * Mode
       * @description movement: leave out people standing still
       * @default all
       * @enum {string}
       */
      mode: "all" | "movement";
      /**
       * Motion Gate
       * @description run the detector only on frames that moved; still ones reuse its last detections
       * @default true
       */
      motion_gate: boolean;
      /**
       * Normalization
       * @default p99
       * @enum {string}
       */
      normalization: "max" | "p99" | "log";
      /**
       * Opacity
       * @description blend weight of the heat colours, redrawn on the server
       * @default 0.6
       */
      opacity: number;
      /**
       * Radius
       * @description Gaussian sigma as a multiple of the person's box width
       * @default 0.3
       */
      radius: number;
      /**
       * Recap
       * @description write recap.mp4: the heat accumulating, at most 30 s
       * @default true
       */
      recap: boolean;
      /**
       * Sample Fps
       * @description frames analysed per second of video
       * @default 5
       */
      sample_fps: number;
      /**
       * Stride
       * @description analyse every n-th frame instead of sample_fps
       */
      stride?: number | null;
      /**
       * T End
       * @description seconds; only samples before here
       */
      t_end?: number | null;
      /**
       * T Start
       * @description seconds; only samples from here
       */
      t_start?: number | null;
    };
    /**
     * HeatmapSummary
     * @description A finished heatmap job's summary.
     */
    HeatmapSummary: {
      /**
       * Backend
       * @description the runtime that ran the detector: torch, openvino (openvino-int8: its INT8 copy), onnx or tensorrt
       */
      backend: string;
      /** Device */
      device: string;
      /** Duration S */
      duration_s: number;
      /** Fps */
      fps: number;
      /**
       * Frames Decoded
       * @description frames that could be read: fewer than frames_total when truncated
       */
      frames_decoded: number;
      /**
       * Frames Detected
       * @description sampled frames that went through the detector
       */
      frames_detected: number;
      /**
       * Frames Reused
       * @description sampled frames judged still, given the last detections (motion_gate)
       */
      frames_reused: number;
      /**
       * Frames Sampled
       * @description frames analysed: detected or reused
       */
      frames_sampled: number;
      /**
       * Frames Total
       * @description frame count from the container (the decoded count if it has none)
       */
      frames_total: number;
      /** Height */
      height: number;
      /** Message */
      message: string | null;
      /** Model */
      model: string;
      /** People Mean */
      people_mean: number;
      /** People Peak */
      people_peak: number;
      /** People Unique */
      people_unique: number;
      /** Timings S */
      timings_s: {
        [key: string]: number;
      };
      /** Truncated */
      truncated: boolean;
      /** Video Seconds Per Second */
      video_seconds_per_second: number;
      /** Weights Sha256 */
      weights_sha256: string;
      /** Width */
      width: number;
    };
    /** HTTPValidationError */
    HTTPValidationError: {
      /** Detail */
      detail?: components["schemas"]["ValidationError"][];
    };
    /**
     * ImageDepth
     * @description One image's depth in metres, as the job's summary lists it.
     */
    ImageDepth: {
      /** Max M */
      max_m: number;
      /** Median M */
      median_m: number;
      /** Min M */
      min_m: number;
      /** Name */
      name: string;
    };
    /** ItemPublic */
    ItemPublic: {
      /** Error */
      error: string | null;
      /** Name */
      name: string;
      /** Results */
      results: components["schemas"]["ResultFile"][];
      status: components["schemas"]["ItemStatus"];
      /** Stem */
      stem: string;
    };
    /** ItemsPage */
    ItemsPage: {
      /** Items */
      items: components["schemas"]["ItemPublic"][];
    };
    /**
     * ItemStatus
     * @enum {string}
     */
    ItemStatus: "queued" | "succeeded" | "failed" | "skipped";
    /**
     * JobKind
     * @enum {string}
     */
    JobKind: "heatmap" | "depth";
    /** JobsPage */
    JobsPage: {
      /** Items */
      items: (components["schemas"]["DepthJobPublic"] | components["schemas"]["HeatmapJobPublic"])[];
      /**
       * Next
       * @description cursor for the next page, or null on the last page
       */
      next: string | null;
      /** Total */
      total: number;
    };
    /**
     * JobStage
     * @description What a running job is doing now, for the person waiting on it.
     * @enum {string}
     */
    JobStage: "loading_model" | "detecting" | "estimating_depth" | "drawing";
    /**
     * JobStatus
     * @enum {string}
     */
    JobStatus: "queued" | "running" | "succeeded" | "failed" | "cancelled";
    /** Line */
    Line: {
      /** Name */
      name: string;
      /**
       * Points
       * @description [[x1, y1], [x2, y2]]; `in` is toward the right-hand side
       */
      points: [number, number][];
    };
    /** LineFigures */
    LineFigures: {
      /**
       * In
       * @description crossings toward the right-hand side of points[0] -> points[1]
       */
      in: number;
      /** Name */
      name: string;
      /**
       * Out
       * @description crossings the other way
       */
      out: number;
      /**
       * Points
       * @description [[x1, y1], [x2, y2]]; `in` is toward the right-hand side
       */
      points: [number, number][];
    };
    /**
     * Png16Range
     * @description How `<stem>_depth16.png` maps to metres, linearly: metres = min_m + value / 65535 * (max_m - min_m).
     */
    Png16Range: {
      /** Far */
      far: number;
      /** Max M */
      max_m: number;
      /** Min M */
      min_m: number;
      /** Near */
      near: number;
    };
    /**
     * Regions
     * @description `PUT /api/jobs/{id}/regions`: the zones and lines to measure, stored with the job; at least one zone or
     *     line.
     */
    Regions: {
      /**
       * Lines
       * @default []
       */
      lines: components["schemas"]["Line"][];
      /**
       * Zones
       * @default []
       */
      zones: components["schemas"]["Zone"][];
    };
    /**
     * RegionsAnalysis
     * @description The figures of every zone and line (`regions.json`).
     */
    RegionsAnalysis: {
      /**
       * Anchor
       * @description the point of each person's box that counts (the job's anchor)
       * @enum {string}
       */
      anchor: "feet" | "center" | "box";
      /**
       * Computed Ms
       * @description how long the analysis took
       */
      computed_ms: number;
      /** Lines */
      lines: components["schemas"]["LineFigures"][];
      /** Zones */
      zones: components["schemas"]["ZoneFigures"][];
    };
    /**
     * Registration
     * @description Who may create an account: anyone, holders of an invitation link, or nobody (accounts made by an operator).
     */
    Registration: {
      /**
       * Mode
       * @enum {string}
       */
      mode: "open" | "invite" | "closed";
    };
    /**
     * RenderUpdate
     * @description Any subset of the drawing options; the rest keep the job's values.
     */
    RenderUpdate: {
      /**
       * Anchor
       * @description feet: bottom-centre of the box
       * @enum {string}
       */
      anchor?: "feet" | "center" | "box";
      /**
       * Colormap
       * @enum {string}
       */
      colormap?: "turbo" | "jet" | "magma" | "inferno" | "plasma" | "viridis" | "cividis" | "hot" | "parula" | "twilight";
      /**
       * Mode
       * @description movement: leave out people standing still
       * @enum {string}
       */
      mode?: "all" | "movement";
      /**
       * Normalization
       * @enum {string}
       */
      normalization?: "max" | "p99" | "log";
      /**
       * Opacity
       * @description blend weight of the heat colours, redrawn on the server
       */
      opacity?: number;
      /**
       * Radius
       * @description Gaussian sigma as a multiple of the person's box width
       */
      radius?: number;
      /**
       * T End
       * @description seconds; only samples before here
       */
      t_end?: number | null;
      /**
       * T Start
       * @description seconds; only samples from here
       */
      t_start?: number | null;
    };
    /** ResultFile */
    ResultFile: {
      /** Bytes */
      bytes: number;
      /** Media Type */
      media_type: string;
      /** Name */
      name: string;
      /** Url */
      url: string;
    };
    /** SkippedInput */
    SkippedInput: {
      /** Name */
      name: string;
      /** Reason */
      reason: string | null;
    };
    /**
     * Speed
     * @description Walking speed over the tracks seen for at least 1 s (path length in metres / time seen); null without any.
     */
    Speed: {
      /** Median */
      median: number | null;
      /** P90 */
      p90: number | null;
    };
    /** Stats */
    Stats: {
      /** Cancelled */
      cancelled: number;
      /** Failed */
      failed: number;
      /** Queued */
      queued: number;
      /** Running */
      running: number;
      /** Succeeded */
      succeeded: number;
      /** Total */
      total: number;
    };
    /** UserCreate */
    UserCreate: {
      /**
       * Email
       * Format: email
       */
      email: string;
      /** Invite */
      invite?: string | null;
      /** Password */
      password: string;
    };
    /** UserPublic */
    UserPublic: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Email */
      email: string;
      /**
       * Id
       * Format: uuid
       */
      id: string;
    };
    /** ValidationError */
    ValidationError: {
      /** Context */
      ctx?: Record<string, never>;
      /** Input */
      input?: unknown;
      /** Location */
      loc: (string | number)[];
      /** Message */
      msg: string;
      /** Error Type */
      type: string;
    };
    /**
     * VideoSummary
     * @description What the upload's probe says about the video: a heatmap job's summary until it has run.
     */
    VideoSummary: {
      /** Duration S */
      duration_s: number;
      /** Fps */
      fps: number;
      /**
       * Frames Total
       * @description frame count from the container (the decoded count if it has none)
       */
      frames_total: number;
      /** Height */
      height: number;
      /** Width */
      width: number;
    };
    /**
     * WebhookDeliveryPublic
     * @description One `job.finished` message to the job's webhook and its latest attempt.
     */
    WebhookDeliveryPublic: {
      /** Attempts */
      attempts: number;
      /** Delivered At */
      delivered_at: string | null;
      /**
       * Id
       * @description the message's `webhook-id` (the same on every retry)
       */
      id: string;
      /** Last Attempt At */
      last_attempt_at: string | null;
      /**
       * Last Error
       * @description why the latest attempt failed
       */
      last_error: string | null;
      /**
       * Last Status Code
       * @description the receiver's answer to the latest attempt, if it answered
       */
      last_status_code: number | null;
      /** Next Attempt At */
      next_attempt_at: string | null;
      status: components["schemas"]["DeliveryStatus"];
    };
    /** WebhookSecret */
    WebhookSecret: {
      /**
       * Secret
       * @description `whsec_` and the base64 of the key that signs your webhooks
       */
      secret: string;
    };
    /** Zone */
    Zone: {
      /** Name */
      name: string;
      /**
       * Polygon
       * @description vertices [x, y] in frame pixels, origin top-left
       */
      polygon: [number, number][];
    };
    /** ZoneDelta */
    ZoneDelta: {
      /** A Person Seconds */
      a_person_seconds: number;
      /** B Person Seconds */
      b_person_seconds: number;
      /**
       * Difference Person Seconds
       * @description b - a per second of video: b / b.duration_s - a / a.duration_s
       */
      difference_person_seconds: number;
      /** Name */
      name: string;
    };
    /** ZoneFigures */
    ZoneFigures: {
      /**
       * Area M2
       * @description floor area in m² when the job has a floor calibration
       */
      area_m2?: number | null;
      dwell_s: components["schemas"]["DwellStats"];
      /** Name */
      name: string;
      /**
       * Occupancy Mean
       * @description tracks inside, on average over the video
       */
      occupancy_mean: number;
      /**
       * Occupancy Peak
       * @description most tracks inside at one sample
       */
      occupancy_peak: number;
      /**
       * Occupancy Per Second
       * @description mean tracks inside during each second of video
       */
      occupancy_per_second: number[];
      /**
       * People
       * @description distinct tracks with a visit
       */
      people: number;
      /**
       * Person Seconds
       * @description sum over samples of the tracks inside times the sample period
       */
      person_seconds: number;
      /**
       * Polygon
       * @description vertices [x, y] in frame pixels, origin top-left
       */
      polygon: [number, number][];
      /**
       * Visits
       * @description runs of inside samples, gaps of up to 1 s bridged
       */
      visits: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  "auth-login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Credentials"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserPublic"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description wrong email or password */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the account is disabled */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description too many attempts from this address, or for this account from it (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserPublic"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-register": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UserCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserPublic"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description registration is closed, or needs a valid invitation (`REGISTRATION`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description an account with this email already exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description too many attempts from this address, or for this account from it (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-registration": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Registration"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-webhook_secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookSecret"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "auth-rotate_webhook_secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookSecret"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "compare-get_comparison": {
    parameters: {
      query: {
        a: string;
        b: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Comparison"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a or b is not one of your heatmap jobs that succeeded */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a job's stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `REGIONS_PER_MINUTE` comparisons in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "compare-get_comparison_image": {
    parameters: {
      query: {
        a: string;
        b: string;
        view?: "a" | "b" | "difference";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/octet-stream": string;
          "image/png": string;
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a or b is not one of your heatmap jobs that succeeded */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a job's stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `REGIONS_PER_MINUTE` comparisons in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "health-health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
      /** @description Service Unavailable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
    };
  };
  "jobs-list_jobs": {
    parameters: {
      query?: {
        /** @description the `next` of the previous page */
        cursor?: string | null;
        kind?: components["schemas"]["JobKind"] | null;
        limit?: number;
        offset?: number;
        status?: components["schemas"]["JobStatus"] | null;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["JobsPage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-get_job": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DepthJobPublic"] | components["schemas"]["HeatmapJobPublic"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-delete_job": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-archive_job": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/octet-stream": string;
          "application/zip": string;
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not finished */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-get_calibration": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CalibrationAnswer"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours); for GET and DELETE also: no calibration set */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a heatmap job that succeeded, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-put_calibration": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Calibration"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CalibrationAnswer"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours); for GET and DELETE also: no calibration set */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a heatmap job that succeeded, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `REGIONS_PER_MINUTE` calibrations in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-delete_calibration": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours); for GET and DELETE also: no calibration set */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a heatmap job that succeeded, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `REGIONS_PER_MINUTE` calibrations in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-cancel_job": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DepthJobPublic"] | components["schemas"]["HeatmapJobPublic"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description already finished */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-get_file": {
    parameters: {
      query?: {
        download?: boolean;
      };
      header?: never;
      path: {
        job_id: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the file, with its own media type */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "*/*": string;
          "application/octet-stream": string;
        };
      };
      /** @description with `STORAGE=s3`: a redirect to a short-lived presigned URL of the file */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-get_items": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ItemsPage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-get_regions": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RegionsAnalysis"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours); for GET also: no regions set */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a heatmap job that succeeded, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-put_regions": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Regions"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RegionsAnalysis"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours); for GET also: no regions set */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a heatmap job that succeeded, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `REGIONS_PER_MINUTE` analyses in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-render_job": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        job_id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["RenderUpdate"] | null;
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DepthJobPublic"] | components["schemas"]["HeatmapJobPublic"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such job (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a finished heatmap job, or its stored tracks are gone */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description more than `RENDER_PER_MINUTE` redraws in the last minute (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting already, or the task queue is away (with Retry-After) */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-archive_all": {
    parameters: {
      query?: {
        kind?: components["schemas"]["JobKind"];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/octet-stream": string;
          "application/zip": string;
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-create_depth_job": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "multipart/form-data": components["schemas"]["Body_jobs-create_depth_job"];
      };
    };
    responses: {
      /** @description Successful Response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DepthJobPublic"];
        };
      };
      /** @description nothing usable in the upload (not a decodable video, no readable image) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description too large (bytes, pixels, frames, video length or ZIP expansion), or past your storage quota */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a supported file type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description you already have `MAX_ACTIVE_JOBS_PER_USER` jobs queued or running; retry after `Retry-After` s */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description `MAX_ACTIVE_JOBS_TOTAL` jobs are queued or running (with Retry-After), or the database or disk is away */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-job_events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/event-stream": unknown;
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description `MAX_EVENT_STREAMS_PER_USER` streams are open already (with Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description live updates are unavailable (Redis is away), or `MAX_EVENT_STREAMS_TOTAL` streams are open */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-create_heatmap_job": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "multipart/form-data": components["schemas"]["Body_jobs-create_heatmap_job"];
      };
    };
    responses: {
      /** @description Successful Response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HeatmapJobPublic"];
        };
      };
      /** @description nothing usable in the upload (not a decodable video, no readable image) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description too large (bytes, pixels, frames, video length or ZIP expansion), or past your storage quota */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not a supported file type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description you already have `MAX_ACTIVE_JOBS_PER_USER` jobs queued or running; retry after `Retry-After` s */
      429: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description `MAX_ACTIVE_JOBS_TOTAL` jobs are queued or running (with Retry-After), or the database or disk is away */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the storage disk is full; nothing was saved */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "jobs-stats": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Stats"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "tokens-list_tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiTokensPage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "tokens-create_token": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApiTokenCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiTokenCreated"];
        };
      };
      /** @description the body cannot be parsed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the request carries a token, not the browser session's cookie */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description you hold `MAX_API_TOKENS_PER_USER` tokens already */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "tokens-revoke_token": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description not logged in (or the session expired) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description a cookie-authenticated request from a foreign origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description no such token (or not yours) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description the database or the storage disk is unavailable; try again later */
      503: {
        headers: {
          /** @description seconds to wait before trying again */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorMessage"];
        };
      };
    };
  };
  "operations-metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/plain": unknown;
        };
      };
    };
  };
}
