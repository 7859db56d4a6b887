import * as vscode from 'vscode';
import { Commands } from './commands';
import { CodeLensProvider } from './features/codeLensProvider';
import { Diagnostics } from './features/diagnostics';
import { FeatureToggle } from './features/featureToggle';
import { HoverProvider } from './features/hoverProvider';
import { InlayHintsProvider } from './features/inlayHintsProvider';
import { StatusBar } from './features/statusBar';
import { registerBenchmarkCommand } from './benchmark';
import { Services } from './services';
import { ComparisonPanels } from './webviews/comparisonPanel';
import { SidebarView } from './webviews/sidebarView';

/** What `activate` returns: the services, for the integration tests (not a public API). */
export interface FlopLensApi {
  services: Services;
}

/** Wires the services and the surfaces; every lifetime is owned by `services`. */
export function activate(context: vscode.ExtensionContext): FlopLensApi {
  const services = new Services(context);
  context.subscriptions.push(services);
  const sidebar = services.add(new SidebarView(services));
  const panels = services.add(new ComparisonPanels(services));
  services.add(new Commands(services, panels, sidebar));
  services.add(registerBenchmarkCommand(context, services));
  services.add(new StatusBar(services));
  services.add(new FeatureToggle(services, (c) => c.features.hovers, () => HoverProvider.register(services)));
  services.add(new FeatureToggle(services, (c) => c.features.codeLens, () => CodeLensProvider.register(services)));
  services.add(new FeatureToggle(services, (c) => c.features.inlayHints, () => InlayHintsProvider.register(services)));
  services.add(new FeatureToggle(services, (c) => c.features.diagnostics, () => Diagnostics.register(services)));
  services.log.info(`FlopLens ${context.extension.packageJSON.version as string} activated`);
  return { services };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
