"""A local module the training script imports: FlopLens reads it from the workspace (never runs it)."""
import torch.nn as nn

HIDDEN = 1024


class TinyNet(nn.Module):
    def __init__(self, hidden: int = HIDDEN):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(512, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.body(x)
