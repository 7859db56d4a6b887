"""Trains a model defined in a local module (tiny_models.py) on random data."""
import torch
from tiny_models import TinyNet

model = TinyNet()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for step in range(200):
    x = torch.randn(256, 512)
    loss = model(x).sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
