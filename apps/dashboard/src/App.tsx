import { useEffect, useState } from "react";
import { api, tokenStore } from "./api.js";
import { CampaignPage } from "./pages/CampaignPage.js";
import { Campaigns } from "./pages/Campaigns.js";
import { Launch } from "./pages/Launch.js";
import { Login } from "./pages/Login.js";
import { ModelsPage } from "./pages/ModelsPage.js";
import { CandidatePage } from "./pages/CandidatePage.js";
import { ComparePage } from "./pages/ComparePage.js";
import { DatasetsPage } from "./pages/DatasetsPage.js";
import { DEFAULT_MODEL_NAME, modelHref, modelNameOf } from "./model-view.js";
import { routeOf, type Route } from "./routes.js";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

interface Session {
  name: string;
  scopes: string[];
}

export function App() {
  const hash = useHash();
  const [session, setSession] = useState<Session | null | "checking">(tokenStore.get() ? "checking" : null);
  useEffect(() => {
    if (session !== "checking") return;
    api<{ token: Session | null }>("GET", "/api/session")
      .then((r) => setSession(r.token ?? { name: "anonymous", scopes: [] }))
      .catch(() => (tokenStore.clear(), setSession(null)));
  }, [session]);

  if (session === "checking") return <p className="muted">checking token…</p>;
  if (session === null) return <Login onLogin={(name, scopes) => setSession({ name, scopes })} />;
  const model = modelNameOf(hash);
  const route = routeOf(hash);
  const canWrite = session.scopes.includes("write");
  return (
    <>
      <header className="top">
        <a href="#/"><b>DRNN tuning</b></a>
        <a href="#/">campaigns</a>
        <a href="#/launch">launch</a>
        <a href="#/compare">compare</a>
        <a href="#/datasets">datasets</a>
        <a href={modelHref(DEFAULT_MODEL_NAME)}>models</a>
        <span className="spacer" />
        <span className="muted who">signed in as {session.name} ({session.scopes.join(", ")})</span>
        <button onClick={() => (tokenStore.clear(), setSession(null))}>sign out</button>
      </header>
      <main>{model !== null ? <ModelsPage key={model} name={model} canWrite={canWrite} /> : <Page route={route} canWrite={canWrite} />}</main>
    </>
  );
}

function Page({ route, canWrite }: { route: Route; canWrite: boolean }) {
  switch (route.page) {
    case "campaign":
      return <CampaignPage id={route.id} canWrite={canWrite} />;
    case "candidate":
      return <CandidatePage key={route.id} id={route.id} />;
    case "compare":
      return <ComparePage ids={route.ids} />;
    case "datasets":
      return <DatasetsPage id={route.id} />;
    case "launch":
      return <Launch />;
    default:
      return <Campaigns />;
  }
}
