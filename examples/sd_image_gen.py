"""Generate a few images with Stable Diffusion 1.5 (30 denoising steps, classifier-free guidance)."""
import torch
from diffusers import StableDiffusionPipeline

pipe = StableDiffusionPipeline.from_pretrained("runwayml/stable-diffusion-v1-5", torch_dtype=torch.float16)
pipe = pipe.to("cuda")

prompt = "a watercolor painting of a lighthouse on a cliff at sunrise, highly detailed"
images = pipe(
    prompt,
    num_images_per_prompt=4,
    num_inference_steps=30,
    guidance_scale=7.5,
    height=512,
    width=512,
).images

for i, image in enumerate(images):
    image.save(f"lighthouse_{i}.png")
