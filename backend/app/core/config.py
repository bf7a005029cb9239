"""The one settings object. Every environment variable SceneLab reads is declared here once.

Values come from the environment, then from `.env` at the repository root, then the defaults below.
`.env.example` mirrors this file.
"""

from __future__ import annotations

import ipaddress
import os
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER_SECRET = "changethis"
MIN_SECRET_KEY_BYTES = 32  # HS256 signs with a key at least as long as its hash
# Database connections of one Celery process: a job's advisory-lock connection and the sessions nested in it.
CELERY_PROCESS_CONNECTIONS = 4
MIN_API_PROCESS_CONNECTIONS = 2

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    log_json: bool = False

    # --- auth ---
    secret_key: str = PLACEHOLDER_SECRET
    access_token_minutes: int = Field(default=60 * 24, ge=1)
    cookie_secure: bool = False
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    password_min_length: int = Field(default=8, ge=6)
    # Who may create an account: anyone (open), holders of a link from `python -m app.admin invite` (invite), or
    # nobody (closed: accounts come from `python -m app.admin create-user`).
    registration: Literal["open", "invite", "closed"] = "open"
    # Origins allowed to send cookie-authenticated state-changing requests (besides the API's own).
    trusted_origins: list[str] = ["http://localhost:5173", "http://127.0.0.1:5173"]
    login_attempts_per_minute: int = Field(default=10, ge=1)
    # API tokens for scripts (POST /api/tokens): the longest lifetime one may ask for, and how many a user holds.
    api_token_max_days: int = Field(default=365, ge=1)
    max_api_tokens_per_user: int = Field(default=50, ge=1)
    # Live job streams (GET /api/jobs/events): open at once per user (one per browser tab), and the keep-alive
    # interval, which is also how soon a stream ends after its token expires or logs out.
    max_event_streams_per_user: int = Field(default=10, ge=1)
    max_event_streams_total: int = Field(default=1000, ge=1)  # every user's together, across API processes (then 503)
    event_keepalive_seconds: float = Field(default=15.0, gt=0, le=300)
    # Heatmap redraws (POST /render) and footfall analyses (PUT /regions) per user and minute (then 429).
    render_per_minute: int = Field(default=30, ge=1)
    regions_per_minute: int = Field(default=30, ge=1)

    # --- servers; unset means "start the embedded ones" (make run / make test) ---
    database_url: str | None = None
    # Connections all SceneLab processes together may hold in PostgreSQL (whose max_connections is 100 by default,
    # 3 of them reserved): each Celery process (the worker's own, its WORKER_CONCURRENCY pool processes, beat)
    # holds at most CELERY_PROCESS_CONNECTIONS, and the API_WORKERS API processes share the rest equally.
    database_max_connections: int = Field(default=90, ge=1)
    api_workers: int = Field(default=4, ge=1)  # uvicorn processes serving the API (compose: --workers)
    redis_url: str | None = None
    data_dir: Path = REPO_ROOT / ".data"

    # --- storage roots (the shared volumes) ---
    videos_dir: Path = REPO_ROOT / "videos"
    heatmaps_dir: Path = REPO_ROOT / "heatmaps"
    depth_maps_dir: Path = REPO_ROOT / "depth_maps"
    models_dir: Path = REPO_ROOT / "models"
    # Where job files live: `local`, the three folders above (shared volumes when API and workers run on several
    # hosts), or `s3`, a bucket of an S3-protocol server (AWS S3, MinIO, ...) under the same layout
    # (`<S3_PREFIX><folder name>/<job id>/<file>`); workers then keep only a run's scratch files on local disk.
    storage: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None  # unset: AWS S3 itself
    s3_public_url: str | None = None  # the server as browsers reach it, for download redirects; unset: the endpoint
    s3_bucket: str = "scenelab"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None  # unset: boto3's own lookup (environment, instance role, ...)
    s3_secret_access_key: str | None = None
    s3_prefix: str = ""  # e.g. `scenelab/` to share a bucket
    s3_url_expires_seconds: int = Field(default=300, ge=1, le=7 * 24 * 3600)  # lifetime of a download redirect
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"

    # --- models and inference ---
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    # auto: PyTorch in FP16 on CUDA when torch sees a GPU, else OpenVINO on the CPU (see app/vision/backends.py)
    inference_backend: Literal["auto", "torch", "openvino", "onnx", "tensorrt"] = "auto"
    # auto: FP16 on CUDA; on the CPU, OpenVINO's INT8 copy (NNCF, calibrated on the first job's frames) when it
    # agrees with the float model and is faster, else the float one. fp32 and fp16 on the CPU: OpenVINO's default float.
    inference_precision: Literal["auto", "fp32", "fp16", "int8"] = "auto"
    int8_calibration_frames: int = Field(default=30, ge=1, le=1000)  # frames or images an INT8 model is quantised on
    # auto runs INT8 only when it is also at least this many times as fast as the float model, timed on the
    # calibration frames (0: agreement alone decides); where OpenVINO's float runs bfloat16 (AMX), it is not
    int8_min_speedup: float = Field(default=1.1, ge=0)
    torch_threads: int = Field(default=0, ge=0)  # 0: every core, for one worker process
    cuda_batch: int = Field(default=32, ge=1, le=256)  # frames or images per call on CUDA (both jobs)
    video_hw_decode: bool = False  # decode videos on the GPU (NVDEC, ...) when OpenCV's FFmpeg offers it
    depth_model: str = "yolo26n-depth.pt"
    # The released depth weights are trained at 768; weights whose checkpoint records another training
    # size run at that size unless DEPTH_IMGSZ is set (see `depth_imgsz_for`).
    depth_imgsz: int = Field(default=768, ge=32, le=4096)
    depth_batch: int = Field(default=4, ge=1, le=64)
    heatmap_model: str = "yolov8n.pt"
    heatmap_person_classes: str = "person"
    heatmap_imgsz: int = Field(default=640, ge=32, le=4096)
    heatmap_batch: int = Field(default=4, ge=1, le=64)
    heatmap_conf: float = Field(default=0.25, gt=0, lt=1)
    heatmap_sample_fps: float = Field(default=5.0, gt=0, le=120)
    # Motion gate (job option motion_gate): a sampled frame is detected when more than MOTION_GATE_AREA of its
    # pixels (downscaled, grey) changed by more than MOTION_GATE_PIXEL_THRESHOLD grey levels (see app/vision/motion.py)
    motion_gate_pixel_threshold: int = Field(default=25, ge=1, le=255)
    motion_gate_area: float = Field(default=0.0005, gt=0, lt=1)  # fraction of the frame
    motion_gate_max_skip_s: float = Field(default=2.0, gt=0)  # at least one frame detected in every this many seconds
    # A footfall line crossing counts once the track has stayed this long on the new side (jitter is no traffic).
    line_min_side_s: float = Field(default=0.5, ge=0, le=60)

    # --- limits on input ---
    max_upload_bytes: int = Field(default=2 * GiB, ge=1)
    max_body_bytes: int = Field(default=64 * KiB, ge=1024)  # every request body but the two upload routes'
    max_image_pixels: int = Field(default=64_000_000, ge=1)
    max_images_per_job: int = Field(default=500, ge=1)
    zip_max_entries: int = Field(default=2_000, ge=1)
    zip_max_expanded_bytes: int = Field(default=4 * GiB, ge=1)
    zip_max_ratio: float = Field(default=200.0, ge=1)
    max_video_seconds: float = Field(default=4 * 3600.0, gt=0)
    max_video_pixels: int = Field(default=7680 * 4320, ge=1)
    max_video_frames: int = Field(default=4 * 3600 * 60, ge=1)  # every frame is decoded, sampled or not

    # --- quotas per user ---
    max_active_jobs_per_user: int = Field(default=20, ge=1)  # queued or running
    # Inputs and results of every job; a queued or running job counts its estimated results from the upload on.
    max_stored_bytes_per_user: int = Field(default=50 * GiB, ge=1)
    max_active_jobs_total: int = Field(default=500, ge=1)  # queued or running, all users together
    job_retention_days: float = Field(default=0, ge=0)  # finished jobs older than this are deleted; 0 keeps them
    # Uploaded videos of finished heatmap jobs older than this are deleted (the results stay); 0 keeps them.
    input_retention_hours: float = Field(default=0, ge=0)

    # --- workers ---
    worker_concurrency: int = Field(default=1, ge=1)
    # Queue names per job kind: run separate workers on each so a long video never blocks images.
    depth_queue: str = "depth"
    heatmap_queue: str = "heatmap"
    maintenance_queue: str = "maintenance"  # the sweeper and webhook deliveries: needs one consumer somewhere
    # Redraws and footfall analyses, which a user waits for: a worker of their own, never behind a long job.
    interactive_queue: str = "interactive"
    interactive_concurrency: int = Field(default=2, ge=1)  # that worker's processes under `make run`
    # How long such a request waits for its answer (queued and running; the work's soft time limit too) before
    # 503, and how many may wait at once across the site (then 503 at once).
    interactive_timeout_s: float = Field(default=90.0, gt=0, le=3600)
    interactive_max_pending: int = Field(default=16, ge=1)
    job_stale_seconds: int = Field(default=30 * 60, ge=10)  # a job stuck queued/running this long is swept
    # A job's peak resident memory in its worker process (model included): depth batches are sized by pixels to it.
    worker_job_memory: int = Field(default=2 * GiB, ge=256 * MiB)
    # Runs a job may start; the next delivery (its worker died every time: out of memory?) fails it.
    max_attempts: int = Field(default=3, ge=1)
    # A worker process is replaced after a task that left it above this resident memory (KiB); 0: never.
    worker_max_memory_per_child: int = Field(default=4 * GiB // KiB, ge=0)
    # Time limits of a run: a base plus what its input should take. Past the soft limit the job fails; past the
    # hard one (`job_time_grace_seconds` later) the worker process is killed.
    job_time_base_seconds: float = Field(default=600.0, gt=0)
    heatmap_seconds_per_video_second: float = Field(default=4.0, ge=0)
    depth_seconds_per_image: float = Field(default=20.0, ge=0)
    job_time_grace_seconds: float = Field(default=60.0, gt=0)
    sweep_interval_seconds: int = Field(default=60, ge=1)
    # Webhooks (a job's `webhook_url`): private and loopback addresses are refused unless allowed; each attempt
    # waits this long for an answer; a failed one is retried after the base delay, doubled each time, for up to
    # the window (seconds).
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0)
    webhook_retry_window_seconds: float = Field(default=3600.0, ge=0)
    orphan_files_after_seconds: int = Field(default=6 * 3600, ge=60)  # job folders without a job row are removed

    # --- ports and operations ---
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    flower_port: int = 5555
    flower_user: str = "admin"
    flower_password: str = PLACEHOLDER_SECRET
    flower_url_prefix: str = ""
    # Proxies in front of SceneLab (comma-separated addresses or CIDRs, e.g. your TLS proxy's) whose
    # X-Forwarded-For names the client: nginx's set_real_ip_from under compose, uvicorn's --forwarded-allow-ips
    # under `make run`. Empty: trust none, every client is the address that connects.
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for proxy in value.split(","):
            if proxy.strip():
                try:
                    ipaddress.ip_network(proxy.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"TRUSTED_PROXIES: {proxy.strip()!r} is not an address or CIDR") from None
        return value

    @model_validator(mode="after")
    def _pools_fit(self) -> Settings:
        if self.api_process_connections < MIN_API_PROCESS_CONNECTIONS:
            raise ValueError(
                f"DATABASE_MAX_CONNECTIONS={self.database_max_connections} cannot hold the Celery processes' "
                f"{self.celery_connections} connections and {MIN_API_PROCESS_CONNECTIONS} for each of API_WORKERS="
                f"{self.api_workers}: raise it (and PostgreSQL's max_connections) or run fewer processes"
            )
        return self

    @property
    def celery_connections(self) -> int:
        """What one worker (its main process and WORKER_CONCURRENCY pool processes) and beat may hold."""
        return CELERY_PROCESS_CONNECTIONS * (self.worker_concurrency + 2)

    @property
    def api_process_connections(self) -> int:
        """The pool of one API process: its share of what the Celery processes leave."""
        return (self.database_max_connections - self.celery_connections) // self.api_workers

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        secrets = {
            "SECRET_KEY": self.secret_key,
            "FLOWER_PASSWORD": self.flower_password,
            "the password in DATABASE_URL": _url_password(self.database_url),
            "the password in REDIS_URL": _url_password(self.redis_url),
        }
        if self.storage == "s3":
            secrets["S3_SECRET_ACCESS_KEY"] = self.s3_secret_access_key
        for name, value in secrets.items():
            if value == PLACEHOLDER_SECRET:
                raise ValueError(
                    f"{name} is still '{PLACEHOLDER_SECRET}': set a real value before running "
                    "with ENVIRONMENT=production"
                )
        if len(self.secret_key.encode()) < MIN_SECRET_KEY_BYTES:
            raise ValueError(
                f"SECRET_KEY is {len(self.secret_key.encode())} bytes: use at least {MIN_SECRET_KEY_BYTES} random "
                "bytes in production (`openssl rand -hex 32`)"
            )
        return self

    @cached_property
    def person_classes(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.heatmap_person_classes.split(",") if name.strip())

    @cached_property
    def trusted_proxy_list(self) -> tuple[str, ...]:
        return tuple(proxy.strip() for proxy in self.trusted_proxies.split(",") if proxy.strip())

    def depth_imgsz_for(self, trained_imgsz: int | None) -> int:
        """DEPTH_IMGSZ when it is set, else the weights' training size when known, else the default (768)."""
        if trained_imgsz and "depth_imgsz" not in self.model_fields_set:
            return trained_imgsz
        return self.depth_imgsz

    @property
    def sqlalchemy_url(self) -> str:
        """`DATABASE_URL` with the psycopg 3 driver named, as SQLAlchemy wants it."""
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set (start the stack with `make run`, or set it)")
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def broker_url(self) -> str:
        if not self.redis_url:
            raise RuntimeError("REDIS_URL is not set (start the stack with `make run`, or set it)")
        return self.redis_url

    @property
    def cpu_threads(self) -> int:
        return self.torch_threads or os.cpu_count() or 1


def _url_password(url: str | None) -> str | None:
    password = urlsplit(url).password if url else None
    return unquote(password) if password else None


settings = Settings()
