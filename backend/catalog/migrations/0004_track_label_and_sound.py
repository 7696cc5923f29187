from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_track_energy_and_cues'),
    ]

    operations = [
        migrations.AddField(
            model_name='track',
            name='label',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.genre'),
        ),
        migrations.AddField(
            model_name='track',
            name='labelled_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='track',
            name='sound',
            field=models.BinaryField(null=True),
        ),
    ]
