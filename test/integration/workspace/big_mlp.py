"""A deep, wide MLP trained with Adam in fp32: about 3.2 B parameters, far too big for a 24 GB GPU."""
import torch
import torch.nn as nn

WIDTH = 8192
DEPTH = 48


class WideMLP(nn.Module):
    def __init__(self, width: int = WIDTH, depth: int = DEPTH):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.head(x)


model = WideMLP().cuda()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loss_fn = nn.CrossEntropyLoss()

for step in range(1000):
    x = torch.randn(64, WIDTH, device="cuda")
    y = torch.randint(0, 10, (64,), device="cuda")
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
