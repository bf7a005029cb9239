// The 3D view of a depth item's `<stem>_points.ply`. three.js is large: this module is only ever loaded
// through a dynamic import (React.lazy), when someone opens the view.

import { useEffect, useRef, useState } from "react";
import { BufferGeometry, Color, PerspectiveCamera, Points, PointsMaterial, Scene, Vector3, WebGLRenderer } from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { PLYLoader } from "three/addons/loaders/PLYLoader.js";
import { api, errorMessage } from "../../api/client";
import type { ResultFile } from "../../api/types";
import { downloadUrl } from "../../lib/files";

const FOV_DEG = 60;

type State = { status: "loading" } | { status: "ready"; points: number } | { status: "failed"; message: string };

function webglAvailable(): boolean {
  const canvas = document.createElement("canvas");
  return !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
}

/** Draws the cloud from where the photo was taken; drag to orbit, scroll or pinch to zoom. */
function showCloud(mount: HTMLElement, geometry: BufferGeometry): () => void {
  // The PLY is in the camera frame (x right, y down, z forward); three.js looks down -z with y up.
  geometry.rotateX(Math.PI);
  geometry.computeBoundingSphere();
  geometry.computeBoundingBox();
  const sphere = geometry.boundingSphere!;
  const box = geometry.boundingBox!;
  // Points a little wider than their spacing across the cloud: a closed surface at every zoom. three.js sizes
  // a point as `size * (canvas height / 2) / depth` pixels, without the field of view's tan(fov / 2).
  const spacing = Math.sqrt(((box.max.x - box.min.x) * (box.max.y - box.min.y)) / geometry.getAttribute("position").count);

  const renderer = new WebGLRenderer({ antialias: false });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
  mount.appendChild(renderer.domElement);
  const scene = new Scene();
  scene.background = new Color(0x14161c);
  const material = new PointsMaterial({ size: (spacing * 1.5) / Math.tan((FOV_DEG * Math.PI) / 360) || 0.01, vertexColors: true });
  scene.add(new Points(geometry, material));

  const camera = new PerspectiveCamera(FOV_DEG, 1, sphere.radius / 1000, sphere.radius * 20);
  camera.position.set(0, 0, 0);
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.target.copy(new Vector3(0, 0, sphere.center.z));
  const render = () => renderer.render(scene, camera);
  controls.addEventListener("change", render);

  const resize = () => {
    const width = mount.clientWidth;
    const height = Math.round(width * 0.62);
    renderer.setSize(width, height);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    controls.update();
    render();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(mount);
  resize();

  return () => {
    observer.disconnect();
    controls.dispose();
    geometry.dispose();
    material.dispose();
    renderer.dispose();
    renderer.domElement.remove();
  };
}

/** `file`: the item's `<stem>_points.ply`; `name`: the item's name. */
export default function PointCloudView({ file, name }: { file: ResultFile; name: string }) {
  const url = file.url;
  const mount = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    setState({ status: "loading" });
    if (!webglAvailable()) {
      setState({ status: "failed", message: "This browser can't draw 3D (WebGL is off); download the PLY to open it elsewhere." });
      return;
    }
    let dispose: (() => void) | null = null;
    let cancelled = false;
    api.jobs
      .fileBytes(url)
      .then((bytes) => {
        if (cancelled || !mount.current) return;
        const geometry = new PLYLoader().parse(bytes);
        dispose = showCloud(mount.current, geometry);
        setState({ status: "ready", points: geometry.getAttribute("position").count });
      })
      .catch((error: unknown) => !cancelled && setState({ status: "failed", message: errorMessage(error) }));
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [url]);

  return (
    <div className="point-cloud">
      <div
        ref={mount}
        className="point-cloud__canvas"
        data-testid="point-cloud"
        data-state={state.status}
        role="img"
        aria-label={`Point cloud of ${name}: drag to turn it, scroll or pinch to zoom`}
      />
      <div className="point-cloud__bar">
        <span className="muted" role="status">
          {state.status === "loading" && "Loading the point cloud…"}
          {state.status === "ready" && `${state.points.toLocaleString()} points, in metres; you start where the camera stood.`}
          {state.status === "failed" && state.message}
        </span>
        <a className="button button--ghost" href={downloadUrl(url)} download={file.name}>
          <span aria-hidden="true">↓ </span>Download PLY
        </a>
      </div>
    </div>
  );
}
