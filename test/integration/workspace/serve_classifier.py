"""Serving fixture: an image classifier behind a FastAPI handler (one image per request)."""
import torch
import torchvision
from fastapi import FastAPI

app = FastAPI()
model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
model.eval()


@app.post("/predict")
def predict(pixels: list):
    x = torch.tensor(pixels, dtype=torch.float32).reshape(1, 3, 224, 224)
    with torch.no_grad():
        logits = model(x)
    return {"label": int(logits.argmax())}
